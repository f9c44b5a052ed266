// SPDX-License-Identifier: GPL-2.0
/*
 * Host unit test of kmod/xlat.c's own tables: the one-compare filter in
 * front of the RFC 6890 check (maybe_unforwardable()) must let through
 * every address a range of unforwardable4[] holds. The filter lists the
 * ranges' first octets a second time; a range added to the table alone
 * fails here. xlat.c is included, not linked, to reach its static tables.
 */
#include "xlat.c"
#include "host_test.h"

/* Every first octet of every range of @r passes the filter. */
static void t_filter_covers(void)
{
	unsigned int i, o;

	for (i = 0; i < ARRAY_SIZE(unforwardable4); i++) {
		const struct range4 *r = &unforwardable4[i];
		unsigned int lo = r->net >> 24, hi = (r->net | ~r->mask) >> 24;

		for (o = lo; o <= hi; o++) {
			if (!maybe_unforwardable(o << 24 | (r->net & 0xffffff)))
				printf("# range %u: first octet %u filtered out\n",
				       i, o);
			EXPECT(maybe_unforwardable(o << 24 | (r->net & 0xffffff)));
		}
	}
}

/* ... and the check then refuses each range's first and last address. */
static void t_ranges_refused(void)
{
	struct map646_cfg cfg = { 0 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(unforwardable4); i++) {
		u32 first = unforwardable4[i].net;
		u32 last = first | ~unforwardable4[i].mask;

		if (!in_ranges(first, forwardable4, ARRAY_SIZE(forwardable4)))
			EXPECT(map646_xlat_check4(&cfg, htonl(first)) ==
			       MAP646_STAT_DROP_UNFORWARDABLE);
		EXPECT(map646_xlat_check4(&cfg, htonl(last)) ==
		       MAP646_STAT_DROP_UNFORWARDABLE);
	}
}

int main(void)
{
	printf("TAP version 13\n1..2\n");
	run("unforwardable_filter_covers_table", t_filter_covers);
	run("unforwardable_ranges_refused", t_ranges_refused);
	printf("# ranges: %d passed, %d failed\n", tests - failures, failures);
	return failures != 0;
}
