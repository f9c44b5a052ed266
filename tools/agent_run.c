// SPDX-License-Identifier: GPL-2.0
/*
 * map646-agent run DEV: read the device's prefix at one revision, apply
 * it as one table replace (conf_load, as `map646ctl load`), then watch from
 * the next revision and apply each watch answer (whole transactions) as
 * one table replace too. A lost connection, a compacted revision or a
 * failed apply starts over with a full read; while etcd cannot be reached
 * the device keeps its table and the agent retries with backoff.
 *
 * The agent keeps the prefix's keys in a tree (key -> value, revision);
 * a change updates the tree, and the device gets the whole tree, checked
 * by the config-file parser: one code path for a full read and a change,
 * and a replace keeps the counters of unchanged mappings.
 */

#define _GNU_SOURCE	/* twalk_r, tdestroy */
#include <search.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "agent.h"
#include "map646ctl.h"
#include "nl.h"

#define BACKOFF_MIN_MS	500
#define BACKOFF_MAX_MS	10000

struct kv_entry {
	char *key;
	char *value;
	int64_t rev;
	bool bad;		/* reported once; skipped until it changes */
};

struct run {
	const struct agent *a;
	void *tree;		/* of struct kv_entry, by key */
	size_t n;
	struct agent_state st;
};

static int by_key(const void *x, const void *y)
{
	return strcmp(((const struct kv_entry *)x)->key,
		      ((const struct kv_entry *)y)->key);
}

static void free_entry(void *p)
{
	struct kv_entry *e = p;

	free(e->key);
	free(e->value);
	free(e);
}

static int tree_put(struct run *r, const char *key, const char *value,
		    int64_t rev)
{
	struct kv_entry probe = { .key = (char *)key }, *e, **found;
	char *v = strdup(value);

	if (!v)
		return -1;
	found = tfind(&probe, &r->tree, by_key);
	if (found) {
		e = *found;
		free(e->value);
		e->value = v;
		e->rev = rev;
		e->bad = false;
		return 0;
	}
	e = calloc(1, sizeof(*e));
	if (!e || !(e->key = strdup(key)) || !tsearch(e, &r->tree, by_key)) {
		free(v);
		if (e)
			free(e->key);
		free(e);
		return -1;
	}
	e->value = v;
	e->rev = rev;
	r->n++;
	return 0;
}

static void tree_del(struct run *r, const char *key)
{
	struct kv_entry probe = { .key = (char *)key }, **found, *e;

	found = tfind(&probe, &r->tree, by_key);
	if (!found)
		return;
	e = *found;
	tdelete(&probe, &r->tree, by_key);
	free_entry(e);
	r->n--;
}

static void tree_clear(struct run *r)
{
	tdestroy(r->tree, free_entry);
	r->tree = NULL;
	r->n = 0;
}

struct walk {
	struct kv_entry **v;
	size_t n;
};

static void collect(const void *node, VISIT which, void *data)
{
	struct walk *w = data;

	if (which == postorder || which == leaf)
		w->v[w->n++] = *(struct kv_entry *const *)node;
}

/* Oldest first: of two keys claiming one address, the newer is refused. */
static int by_revision(const void *x, const void *y)
{
	const struct kv_entry *a = *(struct kv_entry *const *)x;
	const struct kv_entry *b = *(struct kv_entry *const *)y;

	return a->rev < b->rev ? -1 : a->rev > b->rev ? 1 : strcmp(a->key, b->key);
}

/* The tree as a conf: bad keys reported (once) and left out. */
static int tree_conf(struct run *r, struct conf *c)
{
	struct walk w = { calloc(r->n + 1, sizeof(*w.v)), 0 };
	size_t i;

	memset(c, 0, sizeof(*c));
	if (!w.v)
		return -1;
	twalk_r(r->tree, collect, &w);
	qsort(w.v, w.n, sizeof(*w.v), by_revision);
	r->st.bad_keys = 0;
	for (i = 0; i < w.n; i++) {
		if (!w.v[i]->bad &&
		    schema_add(c, r->a->prefix, w.v[i]->key, w.v[i]->value, w.v[i]->rev))
			w.v[i]->bad = true;
		r->st.bad_keys += w.v[i]->bad;
	}
	free(w.v);
	r->st.bad_keys += conf_drop_duplicates(c);
	return 0;
}

/* The device gets the tree: one table replace. 0 or -1 (reported). */
static int apply(struct run *r)
{
	struct conf c;
	int err;

	if (tree_conf(r, &c)) {
		agent_log(r->a, "out of memory");
		return -1;
	}
	err = conf_load(&c);
	if (!err) {
		r->st.mappings = c.maps.n;
		r->st.settings = c.nset;
		r->st.applied = time(NULL);
	}
	conf_free(&c);
	return err;
}

static int on_key(const struct etcd_kv *kv, void *data)
{
	return tree_put(data, kv->key, kv->value, kv->mod_revision);
}

static int on_events(const struct etcd_kv *ev, size_t n, int64_t rev,
		     void *data)
{
	struct run *r = data;
	size_t i;

	for (i = 0; i < n; i++) {
		if (ev[i].deleted)
			tree_del(r, ev[i].key);
		else if (tree_put(r, ev[i].key, ev[i].value, ev[i].mod_revision))
			return -1;
	}
	if (apply(r)) {
		state_enter(r->a, &r->st, "failed", "the device refused a change");
		return -1;
	}
	r->st.revision = rev;
	r->st.changes++;
	state_write(r->a, &r->st);
	return 0;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, ms % 1000 * 1000000 };

	while (nanosleep(&ts, &ts))
		;
}

/* Read everything and apply it: 0, or -1 with the state saying why. */
static int resync(struct run *r, struct etcd *e, int64_t *rev)
{
	char why[600];

	tree_clear(r);
	if (etcd_get_prefix(e, r->a->prefix, rev, on_key, r)) {
		snprintf(why, sizeof(why), "etcd: %s", etcd_error(e));
		state_enter(r->a, &r->st, "unreachable", why);
		return -1;
	}
	if (apply(r)) {
		state_enter(r->a, &r->st, "failed", "the device refused the table");
		return -1;
	}
	r->st.revision = *rev;
	if (!r->n)
		agent_log(r->a, "%s holds no key: the device's table is empty",
			  r->a->prefix);
	return 0;
}

int agent_run(const struct agent *a)
{
	struct run r = { .a = a, .st = { .state = "", .since = time(NULL) } };
	long backoff = 0;
	struct etcd *e;
	int64_t rev;
	int ret;

	e = etcd_open(&a->etcd);
	if (!e)
		return 1;
	nl_set_device(a->dev);
	state_enter(a, &r.st, "starting", NULL);
	for (;;) {
		if (backoff) {
			agent_log(a, "retrying in %.1f s", backoff / 1000.0);
			sleep_ms(backoff);
		}
		if (resync(&r, e, &rev)) {
			backoff = backoff ? backoff * 2 : BACKOFF_MIN_MS;
			if (backoff > BACKOFF_MAX_MS)
				backoff = BACKOFF_MAX_MS;
			continue;
		}
		backoff = 0;
		state_enter(a, &r.st, "synced", NULL);
		agent_log(a, "%zu keys at revision %lld (%s): %zu mappings, %zu settings, %zu bad keys",
			  r.n, (long long)rev, etcd_endpoint(e), r.st.mappings,
			  r.st.settings, r.st.bad_keys);
		ret = etcd_watch_prefix(e, a->prefix, rev + 1, on_events, &r);
		/* the device keeps what it has; read everything again */
		agent_log(a, "watch ended (%s): reading %s again",
			  ret == ETCD_COMPACTED ? "compacted" : etcd_error(e), a->prefix);
		r.st.resyncs++;
		if (ret != ETCD_COMPACTED && !strcmp(r.st.state, "failed"))
			backoff = BACKOFF_MIN_MS;
	}
}

int agent_read_etcd(const struct agent *a, struct etcd *e, struct conf *c,
		    int64_t *revision)
{
	struct run r = { .a = a, .st = { .state = "reading" } };
	int ret = 0;

	if (etcd_get_prefix(e, a->prefix, revision, on_key, &r)) {
		fprintf(stderr, "etcd: %s\n", etcd_error(e));
		ret = -1;
	} else if (tree_conf(&r, c)) {
		fprintf(stderr, "out of memory\n");
		ret = -1;
	}
	tree_clear(&r);
	return ret;
}
