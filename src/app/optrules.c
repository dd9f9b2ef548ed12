/*
 * Option rules (see optrules.h). The table below is the whole policy:
 *   - a mode is an option that chooses a view (--maps, --numa, --system,
 *     --leaks, --cgroups) or an output format (-1, --csv, --json); two modes
 *     of one group exclude each other;
 *   - a view lists the options that apply to it; any other option given with it
 *     is refused ("--top does not apply to --maps"); the list of the default
 *     process view is NULL: everything applies to it but the options that need
 *     another view;
 *   - an option that needs a view says which (--group needs --maps);
 *   - the interactive view (no format, stdout a terminal) is the process view
 *     without the options of the sample loop (-n, --top): those it refuses.
 * Options that apply everywhere (help, version, the hidden roots) are in no list.
 */
#include "app/optrules.h"

#include <string.h>

enum group { G_NONE, G_VIEW, G_FORMAT };

struct mode {
	const char *name;    /* long option name */
	enum group group;
	const char *applies; /* options that apply, space-separated; NULL: all */
	const char *needs;   /* for an option that only works with one view */
};

/* Options of the sample loop and of its output, common to every view. */
#define LOOP "once csv json iterations delay replay at from to "

static const struct mode modes[] = {
	/* name       group      options that apply to it (or the view it needs) */
	{ "maps", G_VIEW, LOOP "sort reverse group", NULL },
	{ "numa", G_VIEW, LOOP "pid user filter sort reverse top all", NULL },
	{ "system", G_VIEW, LOOP, NULL },
	{ "leaks", G_VIEW, LOOP "pid user filter all pss-max-age", NULL },
	{ "cgroups", G_VIEW, LOOP "sort reverse pss-max-age", NULL },
	{ "oom-kills", G_VIEW, LOOP, NULL },
	{ "once", G_FORMAT, NULL, NULL },
	{ "csv", G_FORMAT, NULL, NULL },
	{ "json", G_FORMAT, NULL, NULL },
	{ "prometheus", G_FORMAT, NULL, NULL },
	{ "listen", G_FORMAT, NULL, NULL },
	{ "group", G_NONE, NULL, "maps" },
};

static const char always[] = "help version proc-root sys-root";
/* The interactive view takes every option but these (a list of what it refuses,
 * so that an option added later is not refused there by omission). */
static const char tui_refuses[] = "iterations top";

void
optseen_add(struct optseen *s, const char *name, const char *typed)
{
	if (optseen_has(s, name) || s->n >= OPTSEEN_MAX)
		return;
	s->v[s->n].name = name;
	strncpy(s->v[s->n].typed, typed, sizeof s->v[s->n].typed - 1);
	s->v[s->n].typed[sizeof s->v[s->n].typed - 1] = '\0';
	s->n++;
}

static const char *
typed_of(const struct optseen *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return s->v[i].typed;
	return NULL;
}

bool
optseen_has(const struct optseen *s, const char *name)
{
	return typed_of(s, name) != NULL;
}

/* Whether word is one of the space-separated words of list. */
static bool
in_list(const char *list, const char *word)
{
	size_t len = strlen(word);

	for (const char *p = list; *p;) {
		size_t n = strcspn(p, " ");
		if (n == len && strncmp(p, word, n) == 0)
			return true;
		p += n;
		p += strspn(p, " ");
	}
	return false;
}

static const struct mode *
mode_of(const char *name)
{
	for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
		if (strcmp(modes[i].name, name) == 0)
			return &modes[i];
	return NULL;
}

/* Two modes of one group: the first such pair, in the order given. */
static bool
check_groups(const struct optseen *s, struct buf *msg)
{
	for (size_t i = 0; i < s->n; i++) {
		const struct mode *a = mode_of(s->v[i].name);
		if (!a || a->group == G_NONE)
			continue;
		for (size_t j = i + 1; j < s->n; j++) {
			const struct mode *b = mode_of(s->v[j].name);
			if (b && b->group == a->group) {
				buf_printf(msg, "%s and %s exclude each other", s->v[i].typed,
					   s->v[j].typed);
				return false;
			}
		}
	}
	return true;
}

bool
optrules_check(const struct optseen *s, bool tui, struct buf *msg)
{
	const struct mode *view = NULL;
	const char *view_typed = NULL;

	if (!check_groups(s, msg))
		return false;
	for (size_t i = 0; i < s->n; i++) {
		const struct mode *m = mode_of(s->v[i].name);
		if (m && m->group == G_VIEW) {
			view = m;
			view_typed = s->v[i].typed;
		}
	}
	for (size_t i = 0; i < s->n; i++) {
		const char *name = s->v[i].name, *typed = s->v[i].typed;
		const struct mode *m = mode_of(name);
		if (in_list(always, name) || (m && m == view))
			continue;
		if (m && m->needs && (!view || strcmp(view->name, m->needs) != 0)) {
			buf_printf(msg, "%s needs --%s%s%s", typed, m->needs, view ? ", not " : "",
				   view ? view_typed : "");
			return false;
		}
		if (view && view->applies && !in_list(view->applies, name)) {
			buf_printf(msg, "%s does not apply to %s", typed, view_typed);
			return false;
		}
		if (!view && tui && in_list(tui_refuses, name)) {
			buf_printf(msg, "%s does not apply to the interactive view "
					"(add -1, --csv or --json)", typed);
			return false;
		}
	}
	return true;
}
