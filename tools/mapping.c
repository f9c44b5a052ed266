// SPDX-License-Identifier: GPL-2.0
/*
 * The mapping table: add, del, show, flush.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

struct mapping {
	struct in_addr v4;
	struct in6_addr v6;
};

/* A dump, held until it is known to be complete and consistent. */
struct table {
	struct mapping *v;
	size_t n, size;
};

int cmd_map_add(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct in_addr v4;
	struct in6_addr v6;

	if (argc != 2)
		return bad_argc(argc, argv, 2);
	if (inet_pton(AF_INET, argv[0], &v4) != 1)
		return bad_usage("'%s' is not an IPv4 address", argv[0]);
	if (inet_pton(AF_INET6, argv[1], &v6) != 1)
		return bad_usage("'%s' is not an IPv6 address", argv[1]);
	if (nl_open())
		return 1;
	nlh = nl_request(MAP646_CMD_MAP_ADD);
	mnl_attr_put(nlh, MAP646_A_MAP_IPV4, sizeof(v4), &v4);
	mnl_attr_put(nlh, MAP646_A_MAP_IPV6, sizeof(v6), &v6);
	return nl_do(nlh, NULL, NULL) ? 1 : 0;
}

int cmd_map_del(int argc, char **argv)
{
	struct nlmsghdr *nlh;
	struct in6_addr addr;
	uint16_t type;
	size_t len;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (inet_pton(AF_INET, argv[0], &addr) == 1) {
		type = MAP646_A_MAP_IPV4;
		len = sizeof(struct in_addr);
	} else if (inet_pton(AF_INET6, argv[0], &addr) == 1) {
		type = MAP646_A_MAP_IPV6;
		len = sizeof(struct in6_addr);
	} else {
		return bad_usage("'%s' is neither an IPv4 nor an IPv6 address",
				 argv[0]);
	}
	if (nl_open())
		return 1;
	nlh = nl_request(MAP646_CMD_MAP_DEL);
	mnl_attr_put(nlh, type, len, &addr);
	return nl_do(nlh, NULL, NULL) ? 1 : 0;
}

static int table_add(struct table *t, const struct nlattr *v4,
		     const struct nlattr *v6)
{
	size_t size = t->size ? 2 * t->size : 1024;
	struct mapping *m;

	if (t->n == t->size) {
		m = reallocarray(t->v, size, sizeof(*m));
		if (!m)
			return MNL_CB_ERROR;
		t->v = m;
		t->size = size;
	}
	m = &t->v[t->n++];
	memcpy(&m->v4, mnl_attr_get_payload(v4), sizeof(m->v4));
	memcpy(&m->v6, mnl_attr_get_payload(v6), sizeof(m->v6));
	return MNL_CB_OK;
}

static int mapping_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_MAP_IPV4] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in_addr)
		},
		[MAP646_A_MAP_IPV6] = {
			.type = MNL_TYPE_BINARY, .len = sizeof(struct in6_addr)
		},
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (!tb[MAP646_A_MAP_IPV4] || !tb[MAP646_A_MAP_IPV6])
		return nl_bad_reply("mapping without its addresses");
	return table_add(data, tb[MAP646_A_MAP_IPV4], tb[MAP646_A_MAP_IPV6]);
}

static void table_reset(void *data)
{
	((struct table *)data)->n = 0;
}

static void table_print(const struct table *t)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN];
	const struct mapping *m;

	for (m = t->v; m < t->v + t->n; m++)
		printf("%s %s\n", inet_ntop(AF_INET, &m->v4, v4, sizeof(v4)),
		       inet_ntop(AF_INET6, &m->v6, v6, sizeof(v6)));
}

int cmd_map_show(int argc, char **argv)
{
	struct table table = { 0 };
	int ret = 1;

	if (argc)
		return bad_argc(argc, argv, 0);
	if (nl_open())
		return 1;
	if (!nl_dump(nl_request(MAP646_CMD_MAP_GET), mapping_cb, &table,
		     table_reset)) {
		table_print(&table);
		ret = 0;
	}
	free(table.v);
	return ret;
}

int cmd_map_flush(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	if (nl_open())
		return 1;
	return nl_do(nl_request(MAP646_CMD_MAP_FLUSH), NULL, NULL) ? 1 : 0;
}
