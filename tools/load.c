// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-table operations: load FILE (atomic replace), sync FILE (apply the
 * difference), save (print the device as a config file), config check|routes.
 */

#include <err.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

/* The largest MAP646_A_MAP nest: a block, 4 + 8 + 20 + 8 + 8 bytes. */
#define ENTRY_SIZE	48

/* Batches of mappings, as many per request as fit. */
struct batch {
	uint8_t cmd;
	unsigned int attrs;	/* MAP_WITH_V4 and/or MAP_WITH_V6 */
	const struct mapping **v;
	size_t n;
};

/* The mapping of @v[@first..] the kernel blamed in the failed request. */
static void blame(const struct mapping **v, size_t first,
		  const size_t *offs, size_t n)
{
	long off = nl_error_offset();
	const struct mapping *m;
	size_t i;

	if (off < 0)
		return;
	for (i = n; i-- > 0;)
		if ((size_t)off >= offs[i])
			break;
	if (i >= n || !v[first + i]->file)
		return;
	m = v[first + i];
	fprintf(stderr, "%s:%u: the mapping refused\n", m->file, m->line);
}

static int send_batches(const struct batch *b)
{
	static size_t offs[NL_REQ_SIZE / ENTRY_SIZE];
	const struct mapping *m;
	struct nlattr *maps, *e;
	struct nlmsghdr *nlh;
	size_t i = 0, k;

	while (i < b->n) {
		nlh = nl_request(b->cmd);
		maps = mnl_attr_nest_start(nlh, MAP646_A_MAPS);
		/* entries without IPv6 are smaller: offs bounds them too */
		for (k = 0; i + k < b->n && k < ARRAY_SIZE(offs) &&
		     nlh->nlmsg_len + ENTRY_SIZE + 64 < NL_REQ_SIZE; k++) {
			m = b->v[i + k];
			offs[k] = nlh->nlmsg_len;
			e = mnl_attr_nest_start(nlh, MAP646_A_MAP);
			mapping_put(nlh, m, b->attrs);
			mnl_attr_nest_end(nlh, e);
		}
		mnl_attr_nest_end(nlh, maps);
		if (nl_do(nlh, NULL, NULL)) {
			blame(b->v, i, offs, k);
			return -1;
		}
		i += k;
	}
	return 0;
}

/* Pointers to the mappings of @m, for batches. */
static const struct mapping **pointers(const struct maps *m)
{
	const struct mapping **v = malloc((m->n + 1) * sizeof(*v));
	size_t i;

	if (!v)
		return NULL;
	for (i = 0; i < m->n; i++)
		v[i] = &m->v[i];
	return v;
}

/* The settings of @c, in one request: all or none. */
static int apply_settings(const struct conf *c)
{
	struct nlmsghdr *nlh;
	size_t i;

	if (!c->nset)
		return 0;
	nlh = nl_request(MAP646_CMD_CONFIG_SET);
	for (i = 0; i < c->nset; i++)
		settings_put(nlh, c->set[i].key, c->set[i].val);
	return nl_do(nlh, NULL, NULL);
}

int conf_load(const struct conf *c)
{
	struct batch b = { MAP646_CMD_REPLACE_ADD, MAP_WITH_V4 | MAP_WITH_V6,
			   NULL, c->maps.n };
	struct batch b66 = { MAP646_CMD_REPLACE_ADD, MAP_WITH_V4 | MAP_WITH_V6,
			     NULL, c->maps66.n };
	struct nlmsghdr *nlh;
	int err = -1;

	if (nl_open())
		return -1;
	b.v = pointers(&c->maps);
	b66.v = pointers(&c->maps66);
	if (!b.v || !b66.v)
		goto out;
	nlh = nl_request(MAP646_CMD_REPLACE_BEGIN);
	mnl_attr_put_u32(nlh, MAP646_A_MAP_COUNT, c->maps.n);
	err = nl_do(nlh, NULL, NULL);
	if (!err) {
		err = send_batches(&b) ?: send_batches(&b66) ?:
		      apply_settings(c) ?:
		      nl_do(nl_request(MAP646_CMD_REPLACE_COMMIT), NULL, NULL);
		/* free the staged table now, not when the socket closes */
		if (err)
			nl_do_quiet(nl_request(MAP646_CMD_REPLACE_ABORT));
	}
out:
	if (err)
		warnx("the table was not replaced");
	free(b.v);
	free(b66.v);
	return err;
}

/* Read config file argv[0] whole, then @apply it to the device. */
static int with_file(int argc, char **argv, int (*apply)(const struct conf *))
{
	struct conf c;
	int ret = 1;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (conf_read(argv[0], &c))
		return 1;
	if (!nl_open() && !apply(&c))
		ret = 0;
	conf_free(&c);
	return ret;
}

int cmd_load(int argc, char **argv)
{
	return with_file(argc, argv, conf_load);
}

static int by_pair(const void *a, const void *b)
{
	const struct mapping *x = *(const struct mapping *const *)a;
	const struct mapping *y = *(const struct mapping *const *)b;

	return memcmp(&x->v4, &y->v4, sizeof(x->v4)) ?:
	       memcmp(&x->v6, &y->v6, sizeof(x->v6)) ?:
	       memcmp(&x->internal, &y->internal, sizeof(x->internal)) ?:
	       x->len4 - y->len4 ?: x->len6 - y->len6;
}

/* Split @have and @want (both sorted) into what to delete and to add. */
static void diff(const struct mapping **have, size_t nh,
		 const struct mapping **want, size_t nw,
		 struct batch *del, struct batch *add)
{
	const struct mapping **d = del->v, **a = add->v;
	size_t i = 0, j = 0;
	int cmp;

	del->n = 0;
	add->n = 0;
	while (i < nh || j < nw) {
		cmp = i == nh ? 1 : j == nw ? -1 : by_pair(&have[i], &want[j]);
		if (cmp < 0)
			d[del->n++] = have[i++];
		else if (cmp > 0)
			a[add->n++] = want[j++];
		else
			i++, j++;
	}
}

/*
 * Apply the difference between the mappings @want of the file and the
 * device's @cur of one kind: deletions (by @del_attrs) with @del_cmd,
 * additions with @add_cmd. @done: mappings added, deleted.
 */
static int sync_kind(const struct maps *cur, const struct maps *want,
		     uint8_t del_cmd, unsigned int del_attrs, uint8_t add_cmd,
		     size_t *done)
{
	struct batch del = { del_cmd, del_attrs, NULL, 0 };
	struct batch add = { add_cmd, MAP_WITH_V4 | MAP_WITH_V6, NULL, 0 };
	const struct mapping **have = pointers(cur), **wv = pointers(want);
	int err = -1;

	del.v = malloc((cur->n + 1) * sizeof(*del.v));
	add.v = malloc((want->n + 1) * sizeof(*add.v));
	if (!have || !wv || !del.v || !add.v) {
		warnx("out of memory");
		goto out;
	}
	qsort(have, cur->n, sizeof(*have), by_pair);
	qsort(wv, want->n, sizeof(*wv), by_pair);
	diff(have, cur->n, wv, want->n, &del, &add);
	/* deletions first: they free addresses the additions may reuse */
	err = send_batches(&del) ?: send_batches(&add);
	done[0] += add.n;
	done[1] += del.n;
out:
	free(del.v);
	free(add.v);
	free(have);
	free(wv);
	return err;
}

static int sync_table(const struct conf *c)
{
	struct maps cur = { 0 }, cur66 = { 0 };
	size_t done[2] = { 0, 0 };
	int err = -1;

	if (maps_dump(&cur) || maps66_dump(&cur66))
		goto out;
	err = sync_kind(&cur, &c->maps, MAP646_CMD_MAP_DEL, MAP_WITH_V4,
			MAP646_CMD_MAP_ADD, done) ?:
	      sync_kind(&cur66, &c->maps66, MAP646_CMD_MAP66_DEL, MAP_WITH_V6,
			MAP646_CMD_MAP66_ADD, done) ?:
	      apply_settings(c);
	if (!err)
		printf("%zu added, %zu deleted, %zu unchanged\n", done[0],
		       done[1], c->maps.n + c->maps66.n - done[0]);
out:
	free(cur.v);
	free(cur66.v);
	return err;
}

int cmd_sync(int argc, char **argv)
{
	return with_file(argc, argv, sync_table);
}

int cmd_save(int argc, char **argv)
{
	char v4[INET6_ADDRSTRLEN + 4], v6[INET6_ADDRSTRLEN + 4];
	struct maps t = { 0 }, t66 = { 0 };
	int ret = 1;
	size_t i;

	if (argc)
		return bad_argc(argc, argv, 0);
	opt_json = false;
	printf("# map646.conf(5), written by map646ctl save\n");
	if (settings_print(true) || maps_dump(&t) || maps66_dump(&t66))
		goto out;
	for (i = 0; i < t.n; i++)
		printf("map-static %s %s\n",
		       block_str(AF_INET, &t.v[i].v4, t.v[i].len4, v4, sizeof(v4)),
		       block_str(AF_INET6, &t.v[i].v6, t.v[i].len6, v6, sizeof(v6)));
	for (i = 0; i < t66.n; i++)
		printf("map66-static %s %s\n",
		       inet_ntop(AF_INET6, &t66.v[i].v6, v4, sizeof(v4)),
		       inet_ntop(AF_INET6, &t66.v[i].internal, v6, sizeof(v6)));
	ret = 0;
out:
	free(t.v);
	free(t66.v);
	return ret;
}

int cmd_config_check(int argc, char **argv)
{
	struct conf c;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (conf_read(argv[0], &c))
		return 1;
	printf("%s: %zu mappings, %zu map66 mappings, %zu settings, %zu routes\n",
	       argv[0], c.maps.n, c.maps66.n, c.nset, c.nroutes);
	conf_free(&c);
	return 0;
}

/*
 * The routes a device needs for a config file, one "-4 PREFIX" or
 * "-6 PREFIX" per line: the route4/route6 lines, or by default a /32 per
 * mapped IPv4 address and the translation prefix.
 */
int cmd_config_routes(int argc, char **argv)
{
	bool have4 = false, have6 = false;
	char buf[INET6_ADDRSTRLEN];
	struct conf c;
	size_t i;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (conf_read(argv[0], &c))
		return 1;
	for (i = 0; i < c.nroutes; i++) {
		printf("-%c %s\n", c.routes[i].family == AF_INET ? '4' : '6',
		       c.routes[i].text);
		have4 |= c.routes[i].family == AF_INET;
		have6 |= c.routes[i].family == AF_INET6;
	}
	for (i = 0; !have4 && i < c.maps.n; i++)
		printf("-4 %s/%u\n", inet_ntop(AF_INET, &c.maps.v[i].v4, buf,
						 sizeof(buf)), c.maps.v[i].len4);
	for (i = 0; !have6 && i < c.nset; i++)
		if (!strcmp(c.set[i].key, "prefix") &&
		    strcmp(c.set[i].val, "none"))
			printf("-6 %s\n", c.set[i].val);
	/* the global addresses of map66 mappings come to the device too */
	for (i = 0; !have6 && i < c.maps66.n; i++)
		printf("-6 %s/128\n", inet_ntop(AF_INET6, &c.maps66.v[i].v6,
						  buf, sizeof(buf)));
	conf_free(&c);
	return 0;
}
