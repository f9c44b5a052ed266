// SPDX-License-Identifier: GPL-2.0
/*
 * monitor: print the table and settings changes the kernel announces, one
 * line each, stamped with the time they arrived.
 */

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

static const char *const events[] = {
	[MAP646_CMD_MAP_ADD] = "add",
	[MAP646_CMD_MAP_DEL] = "del",
	[MAP646_CMD_MAP_FLUSH] = "flush",
	[MAP646_CMD_CONFIG_SET] = "settings",
	[MAP646_CMD_REPLACE_COMMIT] = "replace",
	[MAP646_CMD_MAP66_ADD] = "map66-add",
	[MAP646_CMD_MAP66_DEL] = "map66-del",
};

/* Now, local time, RFC 3339 with milliseconds: 2026-12-01T14:03:07.123+01:00 */
static const char *now(char *buf, size_t size)
{
	struct timespec ts;
	char zone[8] = "";
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, size, "%Y-%m-%dT%H:%M:%S", &tm);
	strftime(zone, sizeof(zone), "%z", &tm);	/* +0100 */
	snprintf(buf + n, size - n, ".%03ld%.3s:%s", ts.tv_nsec / 1000000,
		 zone, zone + 3);
	return buf;
}

/* What changed in the table: the mapping, when it was one, and the count. */
static void table_event(const struct nlattr **tb)
{
	char v4[INET_ADDRSTRLEN] = "", v6[INET6_ADDRSTRLEN] = "";
	uint32_t count = mnl_attr_get_u32(tb[MAP646_A_MAP_COUNT]);

	if (tb[MAP646_A_MAP_IPV4] && tb[MAP646_A_MAP_IPV6]) {
		inet_ntop(AF_INET, mnl_attr_get_payload(tb[MAP646_A_MAP_IPV4]),
			  v4, sizeof(v4));
		inet_ntop(AF_INET6, mnl_attr_get_payload(tb[MAP646_A_MAP_IPV6]),
			  v6, sizeof(v6));
	}
	if (opt_json) {
		if (*v4) {
			json_str("ipv4", v4);
			json_str("ipv6", v6);
		}
		json_u64("mappings", count);
	} else {
		printf("%s%s%s%s mappings %u", *v4 ? " " : "", v4,
		       *v6 ? " " : "", v6, count);
	}
}

static int event_cb(const struct nlmsghdr *nlh, void *data __maybe_unused)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_IFINDEX] = { .type = MNL_TYPE_U32 },
		[MAP646_A_IFNAME] = { .type = MNL_TYPE_NUL_STRING },
		[MAP646_A_MAP_COUNT] = { .type = MNL_TYPE_U32 },
		[MAP646_A_MAP_IPV4] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in_addr)
		},
		[MAP646_A_MAP_IPV6] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
	};
	const struct genlmsghdr *g = mnl_nlmsg_get_payload(nlh);
	const struct nlattr *tb[MAP646_A_MAX + 1];
	const char *dev, *ev;
	char stamp[40];
	int ret = MNL_CB_OK;

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_IFNAME] || !tb[MAP646_A_MAP_COUNT] ||
	    g->cmd >= ARRAY_SIZE(events) || !events[g->cmd])
		return MNL_CB_OK;	/* not one this version knows */
	dev = mnl_attr_get_str(tb[MAP646_A_IFNAME]);
	if (nl_device() && strcmp(nl_device(), dev))
		return MNL_CB_OK;
	ev = events[g->cmd];
	now(stamp, sizeof(stamp));
	if (opt_json) {
		json_begin('{', NULL);
		json_str("time", stamp);
		json_str("event", ev);
		json_str("ifname", dev);
	} else {
		printf("%s %s %s", stamp, dev, ev);
	}
	if (g->cmd == MAP646_CMD_CONFIG_SET)
		ret = settings_event(nlh);
	else
		table_event(tb);
	if (opt_json)
		json_end('}');
	else
		putchar('\n');
	fflush(stdout);
	return ret;
}

int cmd_monitor(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	return nl_monitor(event_cb, NULL) ? CMD_FAILED : 0;
}
