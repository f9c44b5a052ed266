// SPDX-License-Identifier: GPL-2.0
/*
 * The controller's side: push FILE (the device's keys in etcd become the
 * file's content, in one transaction that deletes the keys the file does
 * not have and puts the ones that differ) and diff (etcd against the
 * device, in the keys of the schema).
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"
#include "map646ctl.h"
#include "nl.h"

#define PUSH_TRIES	3	/* another writer came in between: read again */

/* The current keys of the prefix: their names after it and raw values. */
struct current {
	const char *prefix;
	struct schema_item *v;
	size_t n, size;
};

static int on_current(const struct etcd_kv *kv, void *data)
{
	struct current *c = data;
	struct schema_item *v;
	bool too_long;

	if (c->n == c->size) {
		v = reallocarray(c->v, c->size * 2 + 64, sizeof(*v));
		if (!v)
			return -1;
		c->v = v;
		c->size = c->size * 2 + 64;
	}
	/* too long to be one the file wants: it goes, by its full name */
	too_long = strlen(kv->key + strlen(c->prefix)) >= sizeof(c->v->key) ||
		   strlen(kv->value) >= sizeof(c->v->value);
	if (too_long && strlen(kv->key + strlen(c->prefix)) >= sizeof(c->v->key)) {
		fprintf(stderr, "map646-agent: %s: key too long to handle\n", kv->key);
		return -1;
	}
	snprintf(c->v[c->n].key, sizeof(c->v->key), "%s", kv->key + strlen(c->prefix));
	snprintf(c->v[c->n].value, sizeof(c->v->value), "%s",
		 too_long ? "" : kv->value);
	c->n++;
	return 0;
}

static int item_cmp(const struct schema_item *a, const struct schema_item *b)
{
	return strcmp(a->key, b->key);
}

/*
 * The ops that turn @have into @want (both sorted): deletes and puts, with
 * their full keys in @keys (room for @nh + @nw).
 */
static size_t push_ops(const struct agent *a, const struct current *have,
		       const struct schema_item *want, size_t nw,
		       struct etcd_op *ops, char (*keys)[sizeof(a->prefix) + 96])
{
	size_t i = 0, j = 0, n = 0;
	int cmp;

	while (i < have->n || j < nw) {
		cmp = i == have->n ? 1 : j == nw ? -1 : item_cmp(&have->v[i], &want[j]);
		if (cmp < 0) {
			snprintf(keys[n], sizeof(keys[n]), "%s%s", a->prefix, have->v[i++].key);
			ops[n].key = keys[n];
			ops[n++].value = NULL;
			continue;
		}
		if (cmp > 0 || strcmp(have->v[i].value, want[j].value)) {
			snprintf(keys[n], sizeof(keys[n]), "%s%s", a->prefix, want[j].key);
			ops[n].key = keys[n];
			ops[n++].value = want[j].value;
		}
		if (cmp == 0)
			i++;
		j++;
	}
	return n;
}

static int push_once(const struct agent *a, struct etcd *e,
		     const struct schema_item *want, size_t nw)
{
	struct current have = { .prefix = a->prefix };
	char (*keys)[sizeof(a->prefix) + 96] = NULL;
	struct etcd_op *ops = NULL;
	size_t n, puts = 0, i;
	int64_t rev, done;
	int ret = -1;

	if (etcd_get_prefix(e, a->prefix, &rev, on_current, &have)) {
		fprintf(stderr, "map646-agent: etcd: %s\n", etcd_error(e));
		goto out;
	}
	ops = calloc(have.n + nw + 1, sizeof(*ops));
	keys = calloc(have.n + nw + 1, sizeof(*keys));
	if (!ops || !keys) {
		fprintf(stderr, "map646-agent: out of memory\n");
		goto out;
	}
	n = push_ops(a, &have, want, nw, ops, keys);
	for (i = 0; i < n; i++)
		puts += !!ops[i].value;
	if (!n) {
		printf("%s already holds it (revision %lld)\n", a->prefix, (long long)rev);
		ret = 0;
		goto out;
	}
	ret = etcd_txn(e, a->prefix, rev, ops, n, &done);
	if (ret < 0)
		fprintf(stderr, "map646-agent: etcd: %s%s\n", etcd_error(e),
			strstr(etcd_error(e), "too many operations") ?
			" (etcd's --max-txn-ops bounds the changes of one push)" : "");
	if (!ret)
		printf("%s: %zu put, %zu deleted, revision %lld\n", a->prefix, puts,
		       n - puts, (long long)done);
out:
	free(ops);
	free(keys);
	free(have.v);
	return ret;
}

int agent_push(const struct agent *a, const char *file)
{
	struct schema_item *want;
	struct etcd *e;
	struct conf c;
	size_t nw;
	int ret = 1, tries;

	if (conf_read(file, &c))
		return 1;
	if (c.nroutes)
		fprintf(stderr, "map646-agent: %s: %zu route lines not pushed: the routes stay the device's (map646@%s.service)\n",
			file, c.nroutes, a->dev);
	e = etcd_open(&a->etcd);
	if (e && !schema_items(&c, &want, &nw)) {
		for (tries = 0; tries < PUSH_TRIES; tries++) {
			ret = push_once(a, e, want, nw);
			if (ret != 1)
				break;
			fprintf(stderr, "map646-agent: %s changed meanwhile, reading it again\n",
				a->prefix);
		}
		free(want);
	}
	etcd_close(e);
	conf_free(&c);
	return ret ? 1 : 0;
}

/* The device as a conf: its mappings and settings. */
static int device_conf(const struct agent *a, struct conf *c)
{
	struct dev_settings s;

	memset(c, 0, sizeof(*c));
	nl_set_device(a->dev);
	return maps_dump(&c->maps) || maps66_dump(&c->maps66) ||
	       settings_get(&s) ||
	       settings_conf(&s, c) ? -1 : 0;
}

/* A device setting etcd does not name is not compared. */
static bool compared(const struct schema_item *dev, const struct schema_item *etc,
		     size_t n)
{
	return strncmp(dev->key, "settings/", 9) ||
	       bsearch(dev, etc, n, sizeof(*etc),
		       (int (*)(const void *, const void *))item_cmp);
}

static int print_diff(const struct schema_item *dev, size_t nd,
		      const struct schema_item *etc, size_t ne)
{
	size_t i = 0, j = 0;
	int cmp, differ = 0;

	while (i < nd || j < ne) {
		cmp = i == nd ? 1 : j == ne ? -1 : item_cmp(&dev[i], &etc[j]);
		if (cmp < 0 && !compared(&dev[i], etc, ne)) {
			i++;
			continue;
		}
		if (cmp <= 0 && (cmp < 0 || strcmp(dev[i].value, etc[j].value))) {
			printf("-%s %s\n", dev[i].key, dev[i].value);
			differ = 1;
		}
		if (cmp >= 0 && (cmp > 0 || strcmp(dev[i].value, etc[j].value))) {
			printf("+%s %s\n", etc[j].key, etc[j].value);
			differ = 1;
		}
		i += cmp <= 0;
		j += cmp >= 0;
	}
	return differ;
}

int agent_diff(const struct agent *a)
{
	struct schema_item *dv = NULL, *ev = NULL;
	struct conf dc, ec;
	struct etcd *e;
	size_t nd, ne;
	int64_t rev;
	int ret = 2;

	memset(&dc, 0, sizeof(dc));
	memset(&ec, 0, sizeof(ec));
	e = etcd_open(&a->etcd);
	if (!e || agent_read_etcd(a, e, &ec, &rev) || device_conf(a, &dc))
		goto out;
	if (schema_items(&dc, &dv, &nd) || schema_items(&ec, &ev, &ne)) {
		fprintf(stderr, "map646-agent: out of memory\n");
	} else {
		printf("--- device %s\n+++ etcd %s at revision %lld\n", a->dev,
		       a->prefix, (long long)rev);
		ret = print_diff(dv, nd, ev, ne);
	}
out:
	conf_free(&dc);
	free(dv);
	free(ev);
	conf_free(&ec);
	etcd_close(e);
	return ret;
}
