/*
 * Time to OOM (see cgroup.h cgroup_forecast and table.h): the shared robust
 * line fit of model/trend.h over the recent samples of what is in use, and a
 * forecast only when that line is a steady climb the latest sample is still
 * on. Never a made-up number: a flat, falling or noisy series, a sudden fall
 * at the end, too few samples or too short a window give none.
 */
#include <math.h>
#include <string.h>

#include "model/cgroup.h"
#include "model/trend.h"
#include "util/round.h"

enum {
	FC_MIN_SAMPLES = 5,
	FC_MIN_SPAN_MS = 4000,
	FC_MIN_RISE_KIB = 256,            /* over the window: less is flat */
	FC_MAX_ETA_S = 30 * 24 * 3600,    /* further than a month is flat too */
};
#define FC_MIN_CONFIDENCE 0.5  /* trend.h: (n - 2) / n for a perfect line */
#define FC_RISE_OVER_SPREAD 4.0 /* the rise over the window against the noise */

/*
 * Is the line over span_s seconds a steady rise? If not, *why says what it is,
 * in the order a person would give the reasons: no change, no trend, going down.
 */
static bool
steady_rise(const struct trend *tr, double span_s, enum fc_why *why)
{
	double rise = fabs(tr->slope * span_s);

	if (rise < FC_MIN_RISE_KIB)
		*why = FCW_FLAT;
	else if (tr->confidence < FC_MIN_CONFIDENCE || rise < FC_RISE_OVER_SPREAD * tr->spread)
		*why = FCW_NOISY;
	else if (tr->slope < 0)
		*why = FCW_FALLING;
	else
		return true;
	return false;
}

void
cgroup_forecast(const uint64_t *t_ms, const uint64_t *used_kib, size_t n, uint64_t cap_kib,
		struct oom_forecast *out)
{
	double t[CG_RING], y[CG_RING];
	struct trend tr;

	memset(out, 0, sizeof *out);
	out->why = FCW_HISTORY;
	if (n < FC_MIN_SAMPLES || n > CG_RING || t_ms[n - 1] - t_ms[0] < FC_MIN_SPAN_MS)
		return;
	for (size_t i = 0; i < n; i++) {
		t[i] = (double)(t_ms[i] - t_ms[0]) / 1000.0;
		y[i] = (double)used_kib[i];
	}
	if (trend_fit(t, y, n, &tr) != 0)
		return;
	if (!steady_rise(&tr, t[n - 1], &out->why))
		return;
	/*
	 * The line is robust to a few wild points, so a sudden fall (a kill, a
	 * process gone) would leave it standing: the latest sample must still
	 * be on it.
	 */
	double off = y[n - 1] - (tr.intercept + tr.slope * t[n - 1]);
	if (off < -(FC_RISE_OVER_SPREAD * tr.spread + FC_MIN_RISE_KIB)) {
		out->why = FCW_FALLING;
		return;
	}
	double left = used_kib[n - 1] >= cap_kib ? 0 : (double)(cap_kib - used_kib[n - 1]);
	double eta = left / tr.slope;
	if (!isfinite(eta) || eta > FC_MAX_ETA_S) {
		out->why = FCW_FLAT;
		return;
	}
	out->known = true;
	out->eta_s = round_i64(eta);
	out->rate_kib_s = tr.slope;
}

void
machine_forecast(struct fill_hist *h, const struct sysmem *s, uint64_t now_ms,
		 const struct proc *procs, size_t n, struct oom_forecast *out)
{
	static const enum mem_field need[] = { M_TOTAL, M_AVAILABLE, M_SWAP_TOTAL, M_SWAP_FREE };

	memset(out, 0, sizeof *out);
	for (size_t i = 0; i < sizeof need / sizeof *need; i++) {
		if (!(s->known & (1u << need[i]))) {
			h->n = 0; /* a gap: the trend starts again */
			out->why = FCW_NO_DATA;
			return;
		}
	}
	/* MemAvailable plus free swap is what is left; the rest is in use */
	uint64_t cap = s->val[M_TOTAL] + s->val[M_SWAP_TOTAL];
	uint64_t left = s->val[M_AVAILABLE] + s->val[M_SWAP_FREE];
	fill_hist_push(h, now_ms, cap > left ? cap - left : 0);
	cgroup_forecast(h->t_ms, h->used_kib, h->n, cap, out);
	if (out->known)
		out->victim = oom_victim(procs, n, NULL);
}
