// SPDX-License-Identifier: GPL-2.0
/*
 * The device's counters: stats show|reset (and the short form "stats").
 */

#include <inttypes.h>
#include <stdio.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

static const char *const stat_names[__MAP646_STAT_LAST] = {
	[MAP646_STAT_XLAT_4TO6]		 = "xlat_4to6",
	[MAP646_STAT_XLAT_6TO4]		 = "xlat_6to4",
	[MAP646_STAT_DROP_NO_PREFIX]	 = "drop_no_prefix",
	[MAP646_STAT_DROP_NO_MAPPING_V4] = "drop_no_mapping_v4",
	[MAP646_STAT_DROP_NO_MAPPING_V6] = "drop_no_mapping_v6",
	[MAP646_STAT_DROP_NOT_IN_PREFIX] = "drop_not_in_prefix",
	[MAP646_STAT_DROP_MALFORMED]	 = "drop_malformed",
	[MAP646_STAT_DROP_FRAGMENT]	 = "drop_fragment",
	[MAP646_STAT_DROP_EXTHDR]	 = "drop_exthdr",
	[MAP646_STAT_DROP_ICMP]		 = "drop_icmp",
	[MAP646_STAT_DROP_UDP_ZERO_CSUM] = "drop_udp_zero_csum",
	[MAP646_STAT_DROP_PROTOCOL]	 = "drop_protocol",
	[MAP646_STAT_DROP_NOMEM]	 = "drop_nomem",
	[MAP646_STAT_DROP_RX]		 = "drop_rx",
	[MAP646_STAT_DROP_SPOOFED]	 = "drop_spoofed",
	[MAP646_STAT_DROP_NONGLOBAL]	 = "drop_nonglobal",
	[MAP646_STAT_DROP_SRC_ROUTE]	 = "drop_src_route",
	[MAP646_STAT_DROP_ROUTING]	 = "drop_routing",
	[MAP646_STAT_DROP_TOO_BIG]	 = "drop_too_big",
	[MAP646_STAT_FRAGMENTS]		 = "fragments",
	[MAP646_STAT_XLAT_66]		 = "xlat_66",
};

/* One counter; newer kernels may send some this table does not name. */
static int stat_cb(const struct nlattr *attr, void *data __maybe_unused)
{
	unsigned int type = mnl_attr_get_type(attr);
	char name[16];

	if (type == MAP646_STAT_PAD ||
	    mnl_attr_validate(attr, MNL_TYPE_U64) < 0)
		return MNL_CB_OK;
	if (type >= __MAP646_STAT_LAST || !stat_names[type])
		snprintf(name, sizeof(name), "stat_%u", type);
	if (opt_json)
		json_u64(type < __MAP646_STAT_LAST && stat_names[type] ?
			 stat_names[type] : name, mnl_attr_get_u64(attr));
	else
		printf("%s %" PRIu64 "\n",
		       type < __MAP646_STAT_LAST && stat_names[type] ?
		       stat_names[type] : name, mnl_attr_get_u64(attr));
	return MNL_CB_OK;
}

static int stats_cb(const struct nlmsghdr *nlh, void *data __maybe_unused)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_STATS] = { .type = MNL_TYPE_NESTED },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];
	int ret;

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_STATS])
		return nl_bad_reply("no counters in reply");
	if (opt_json)
		json_begin('{', NULL);
	ret = mnl_attr_parse_nested(tb[MAP646_A_STATS], stat_cb, NULL);
	if (opt_json)
		json_end('}');
	return ret;
}

int cmd_stats_show(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	if (nl_open())
		return 1;
	return nl_do(nl_request(MAP646_CMD_STATS_GET), stats_cb, NULL) ? 1 : 0;
}

int cmd_stats_reset(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	if (nl_open())
		return 1;
	return nl_do(nl_request(MAP646_CMD_STATS_RESET), NULL, NULL) ? 1 : 0;
}
