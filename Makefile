# smaptop — plain GNU make. `make` builds ./smaptop; `make check` builds and runs every test.
# Libraries come from pkg-config; scripts/deps installs what is missing (see README.md).

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions

CC      ?= cc
OPT     ?= -O2 -g
WERROR  ?= -Werror
CFLAGS  ?=
CFLAGS  += -std=gnu11 $(OPT) -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -D_GNU_SOURCE -Isrc -MMD -MP
LDFLAGS ?=
B       ?= build

-include $(B)/config.mk

SRC     := $(sort $(wildcard src/*/*.c))
OBJ     := $(SRC:%.c=$(B)/%.o)
UNIT    := $(sort $(wildcard tests/unit/test_*.c))
UNITBIN := $(UNIT:tests/unit/%.c=$(B)/tests/%)
HELPERS := $(sort $(wildcard tests/helpers/*.c))
HELPBIN := $(HELPERS:tests/helpers/%.c=$(B)/helpers/%)

.PHONY: all run check unit integration lint clean install uninstall bench screenshots fuzz
all: smaptop

# pkg-config flags, computed once after scripts/deps made sure the packages exist.
$(B)/config.mk: scripts/deps
	@mkdir -p $(B)
	@scripts/deps build
	@{ echo "LIBS_CFLAGS := $$(pkg-config --cflags ncursesw libproc2 numa)"; \
	   echo "LIBS := $$(pkg-config --libs ncursesw libproc2 numa) -lm"; \
	   echo "LIBPROC2_VERSION := $$(pkg-config --modversion libproc2)"; } > $@

$(B)/test-deps.stamp: scripts/deps
	@mkdir -p $(B)
	@scripts/deps test
	@touch $@

$(B)/%.o: %.c $(B)/config.mk
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(LIBS_CFLAGS) -DLIBPROC2_VERSION='"$(LIBPROC2_VERSION)"' -c -o $@ $<

$(B)/libsmaptop.a: $(OBJ)
	@$(AR) rcs $@ $^

smaptop: $(B)/src/main.o $(B)/libsmaptop.a
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

run: smaptop
	./smaptop

$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libsmaptop.a $(B)/test-deps.stamp
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) $(LIBS_CFLAGS) $$(pkg-config --cflags cmocka) -o $@ $< $(B)/libsmaptop.a \
		$(LIBS) $$(pkg-config --libs cmocka)

$(B)/helpers/%: tests/helpers/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) -o $@ $<

unit: $(UNITBIN)
	@fail=0; for t in $(UNITBIN); do \
		CMOCKA_MESSAGE_OUTPUT=stdout SMAPTOP_FIXTURES=tests/fixtures $$t || fail=1; \
	done; exit $$fail

integration: smaptop $(HELPBIN) $(B)/test-deps.stamp
	@fail=0; for t in tests/integration/*.sh; do \
		[ -e "$$t" ] || continue; \
		echo "== $$t"; B=$(B) sh $$t || { echo "FAIL: $$t"; fail=1; }; \
	done; exit $$fail

check: lint unit integration
	@echo "make check: all tests passed"

# Layer rules: only collectors touch the kernel and its libraries, only ui/ draws.
lint:
	@bad=$$(grep -lE '#include <(libproc2/|numa\.h|numaif\.h)' src/*/*.c src/*/*.h | grep -v '^src/collect/'); \
	 bad="$$bad $$(grep -lE '#include <n?curses' src/*/*.c src/*/*.h | grep -v '^src/ui/')"; \
	 bad="$$bad $$(grep -lE '"/proc|"/sys' src/model/* src/output/* src/ui/* 2>/dev/null)"; \
	 if [ -n "$$(echo $$bad | tr -d ' ')" ]; then echo "layer violation:$$bad"; exit 1; fi

bench: smaptop
	@sh tests/bench/run.sh

fuzz: $(B)/test-deps.stamp
	@sh tests/fuzz/run.sh

screenshots: smaptop $(B)/helpers/memhog
	@sh scripts/screenshots.sh

install: smaptop
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 smaptop $(DESTDIR)$(BINDIR)/smaptop
	install -m 644 man/smaptop.1 $(DESTDIR)$(MANDIR)/smaptop.1
	install -m 644 scripts/smaptop.bash $(DESTDIR)$(BASHCOMPDIR)/smaptop

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/smaptop $(DESTDIR)$(MANDIR)/smaptop.1 $(DESTDIR)$(BASHCOMPDIR)/smaptop

clean:
	rm -rf $(B) smaptop

-include $(shell find $(B) -name '*.d' 2>/dev/null)
