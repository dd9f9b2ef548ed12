# smaptop — plain GNU make. `make` builds ./smaptop; `make check` builds and runs every test.
# Libraries come from pkg-config; scripts/deps installs what is missing (see README.md).
#
# make check runs, in this order: lint, unit, integration, check-asan, fuzz, soak.
#   check-asan  the unit and integration tests again, with smaptop, the tests and the
#               helpers built with ASan+UBSan in $(ASAN_B) (binary $(ASAN_B)/smaptop)
#   fuzz        tests/fuzz/run.sh: every libFuzzer harness for FUZZ_SECONDS, two at a time
#   soak        tests/soak/run.sh: 10,000 refreshes of the CSV and TUI paths and 10,000
#               samples of the recorder, under churn

PREFIX  ?= /usr/local
DESTDIR ?=
BINDIR   = $(PREFIX)/bin
MANDIR   = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
SYSTEMDDIR = $(PREFIX)/lib/systemd/system

CC      ?= cc
OPT     ?= -O2 -g
WERROR  ?= -Werror
CFLAGS  ?=
CFLAGS  += -std=gnu11 $(OPT) -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes \
           -Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral -D_GNU_SOURCE -Isrc -MMD -MP
LDFLAGS ?=
B       ?= build
# The binary; check-asan sets it to $(ASAN_B)/smaptop so ./smaptop stays the normal build.
BIN     ?= smaptop
# Sanitizer flags, for compiling and linking alike (check-asan sets them).
SANITIZE ?=
CFLAGS  += $(SANITIZE)
LDFLAGS += $(SANITIZE)
ASAN_B  ?= build-asan
ASAN_FLAGS = -fsanitize=address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer

-include $(B)/config.mk

SRC     := $(sort $(wildcard src/*/*.c))
OBJ     := $(SRC:%.c=$(B)/%.o)
UNIT    := $(sort $(wildcard tests/unit/test_*.c))
UNITBIN := $(UNIT:tests/unit/%.c=$(B)/tests/%)
HELPERS := $(sort $(wildcard tests/helpers/*.c))
HELPBIN := $(HELPERS:tests/helpers/%.c=$(B)/helpers/%)

.PHONY: all run check check-asan unit integration lint clean install uninstall bench screenshots \
	fuzz soak
all: $(BIN)

# pkg-config flags, computed once after scripts/deps made sure the packages exist.
# libmicrohttpd, sqlite3 and libnuma give their headers only: src/output/prom_http.c,
# src/store/sqlite_api.c and src/collect/numa_api.c load the libraries with dlopen()
# when --listen serves, a history is opened or NUMA nodes are read, so the other modes
# do not map them (GnuTLS & co. with the first). libnuma reports through numa_warn()
# and numa_error(), which smaptop defines: they are exported for it to find.
NUMA_EXPORTS := -Wl,--export-dynamic-symbol=numa_warn,--export-dynamic-symbol=numa_error
$(B)/config.mk: scripts/deps Makefile
	@mkdir -p $(B)
	@scripts/deps build
	@{ echo "LIBS_CFLAGS := $$(pkg-config --cflags ncursesw numa sqlite3 libmicrohttpd)"; \
	   echo "LIBS := $$(pkg-config --libs ncursesw) $(NUMA_EXPORTS)"; } > $@

$(B)/test-deps.stamp: scripts/deps
	@mkdir -p $(B)
	@scripts/deps test
	@touch $@

$(B)/%.o: %.c $(B)/config.mk
	@mkdir -p $(@D)
	@echo "  CC      $<"
	@$(CC) $(CFLAGS) $(LIBS_CFLAGS) -c -o $@ $<

$(B)/libsmaptop.a: $(OBJ)
	@rm -f $@ && $(AR) rcs $@ $^

$(BIN): $(B)/src/main.o $(B)/libsmaptop.a
	@mkdir -p $(@D)
	@echo "  LD      $@"
	@$(CC) $(LDFLAGS) -o $@ $^ $(LIBS)

run: $(BIN)
	./$(BIN)

$(B)/tests/%: tests/unit/%.c $(wildcard tests/unit/*.h) $(B)/libsmaptop.a $(B)/test-deps.stamp
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) $(LIBS_CFLAGS) $$(pkg-config --cflags cmocka) -o $@ $< $(B)/libsmaptop.a \
		$(LDFLAGS) $(LIBS) $$(pkg-config --libs cmocka sqlite3) -lm

$(B)/helpers/%: tests/helpers/%.c
	@mkdir -p $(@D)
	@echo "  CC      $@"
	@$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $<

# memhog is the oracle of the memory tests: its RSS, its [heap] mapping, its virtual
# size and which of its pages are shared are what they assert. A sanitizer runtime
# changes all of them (ASan: ~6 MiB of its own RSS, an allocator that never uses brk,
# terabytes of shadow; even UBSan alone maps libraries that the sanitized smaptop
# reading it also maps, so its private pages turn shared), so memhog is always built
# without sanitizers. The other helpers get them, except leaker, the oracle of
# the leak tests: ASan's shadow (an eighth of every page written) would add to
# its PSS and never shrink with it, and forkhog, whose 5,000 children are the
# load, not code under test: an ASan process forks at half the speed.
$(B)/helpers/memhog: override SANITIZE :=
$(B)/helpers/leaker: override SANITIZE :=
$(B)/helpers/forkhog: override SANITIZE :=

unit: $(UNITBIN)
	@fail=0; for t in $(UNITBIN); do \
		CMOCKA_MESSAGE_OUTPUT=stdout SMAPTOP_FIXTURES=tests/fixtures $$t || fail=1; \
	done; exit $$fail

integration: $(BIN) $(HELPBIN) $(B)/test-deps.stamp
	@fail=0; for t in tests/integration/*.sh; do \
		[ -e "$$t" ] || continue; \
		echo "== $$t"; B=$(B) SMAPTOP=./$(BIN) sh $$t || { echo "FAIL: $$t"; fail=1; }; \
	done; exit $$fail

# Every sequential step stops at the first failure, the cheapest first.
check: lint unit integration
	@$(MAKE) --no-print-directory check-asan
	@$(MAKE) --no-print-directory fuzz
	@$(MAKE) --no-print-directory soak
	@echo "make check: all tests passed"

# Layer rules: only collectors touch the kernel and its libraries, only ui/ draws.
lint:
	@bad=$$(grep -lE '#include <(numa\.h|numaif\.h)' src/*/*.c src/*/*.h | grep -v '^src/collect/'); \
	 bad="$$bad $$(grep -lE '#include <n?curses' src/*/*.c src/*/*.h | grep -v '^src/ui/')"; \
	 bad="$$bad $$(grep -lE '"/proc|"/sys' src/model/* src/output/* src/ui/* 2>/dev/null)"; \
	 bad="$$bad $$(grep -lE '#include <microhttpd' src/*/*.c src/*/*.h src/*.c | grep -v '^src/output/prom_http.c$$')"; \
	 bad="$$bad $$(grep -lE '#include <sqlite3\.h>' src/*/*.c src/*/*.h | grep -v '^src/store/')"; \
	 bad="$$bad $$(grep -lE '"/proc|"/sys|#include <(numa|n?curses)' src/store/* 2>/dev/null)"; \
	 if [ -n "$$(echo $$bad | tr -d ' ')" ]; then echo "layer violation:$$bad"; exit 1; fi

bench: $(BIN) $(B)/libsmaptop.a $(B)/test-deps.stamp
	@sh tests/bench/run.sh
	@B=$(B) SMAPTOP=./$(BIN) sh tests/bench/scale.sh
	@B=$(B) SMAPTOP=./$(BIN) sh tests/bench/history.sh

# The unit and integration tests with ASan+UBSan in $(ASAN_B). Reports go to files
# (log_path) in a fresh directory that every user can write (privilege.sh runs smaptop
# as a test user who may not reach this tree), so a report from a process whose stderr
# a test swallows still fails the run. No leak is suppressed.
SAN_ENV = ASAN_OPTIONS=detect_leaks=1:halt_on_error=1:log_path=$$san/logs/asan \
	UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1:log_path=$$san/logs/ubsan
# san_report: prints every report in $$san/logs; fails if there is one.
san_report = if [ -n "$$(ls -A $$san/logs)" ]; then \
		for f in $$san/logs/*; do echo "== sanitizer report $$(basename $$f)"; cat "$$f"; done; false; fi
ASAN_MAKE = $(MAKE) --no-print-directory B=$(ASAN_B) BIN=$(ASAN_B)/smaptop \
	SANITIZE="$(ASAN_FLAGS)" OPT="-O1 -g"

check-asan:
	@$(ASAN_MAKE) $(ASAN_B)/smaptop $(ASAN_B)/test-deps.stamp
	@san=$$(mktemp -d "$${TMPDIR:-/tmp}/smaptop-san.XXXXXX") && chmod 755 $$san && \
	 mkdir -m 1777 $$san/logs && \
	 fail=0; \
	 $(SAN_ENV) $(ASAN_MAKE) unit integration || fail=1; \
	 $(san_report) || fail=1; \
	 rm -rf $$san; \
	 if [ $$fail = 0 ]; then echo "check-asan: passed, no sanitizer report"; \
	 else echo "check-asan: FAILED"; exit 1; fi

fuzz: $(B)/test-deps.stamp
	@sh tests/fuzz/run.sh

soak: $(BIN) $(B)/helpers/storm $(B)/test-deps.stamp
	@$(ASAN_MAKE) $(ASAN_B)/smaptop
	@B=$(B) SMAPTOP=./$(BIN) SMAPTOP_ASAN_BIN=$(ASAN_B)/smaptop sh tests/soak/run.sh

screenshots: $(BIN) $(B)/helpers/memhog
	@sh scripts/screenshots.sh

install: $(BIN)
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR) $(DESTDIR)$(BASHCOMPDIR)
	install -m 755 $(BIN) $(DESTDIR)$(BINDIR)/smaptop
	install -m 644 man/smaptop.1 $(DESTDIR)$(MANDIR)/smaptop.1
	install -m 644 scripts/smaptop.bash $(DESTDIR)$(BASHCOMPDIR)/smaptop
	install -d $(DESTDIR)$(SYSTEMDDIR)
	sed 's|@BINDIR@|$(BINDIR)|g' scripts/systemd/smaptop-record.service.in \
		>$(DESTDIR)$(SYSTEMDDIR)/smaptop-record.service
	chmod 644 $(DESTDIR)$(SYSTEMDDIR)/smaptop-record.service
	sed 's|@BINDIR@|$(BINDIR)|g' scripts/smaptop-exporter.service \
		>$(DESTDIR)$(SYSTEMDDIR)/smaptop-exporter.service
	chmod 644 $(DESTDIR)$(SYSTEMDDIR)/smaptop-exporter.service

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/smaptop $(DESTDIR)$(MANDIR)/smaptop.1 $(DESTDIR)$(BASHCOMPDIR)/smaptop \
		$(DESTDIR)$(SYSTEMDDIR)/smaptop-record.service \
		$(DESTDIR)$(SYSTEMDDIR)/smaptop-exporter.service

clean:
	rm -rf $(B) $(ASAN_B) smaptop

-include $(shell find $(B) -name '*.d' 2>/dev/null)
