/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A client of etcd's v3 API through its JSON gateway (etcd 3.4:
 * /v3/kv/range, /v3/kv/txn, /v3/watch), over libcurl, JSON by json-c:
 * what map646-agent needs, for one key prefix. Several endpoints: a
 * request that cannot reach one (or that one cannot serve: no leader)
 * goes on to the next.
 */

#ifndef MAP646_ETCD_H
#define MAP646_ETCD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct etcd_opts {
	const char *endpoints;	/* URL[,URL...], e.g. https://192.0.2.1:2379 */
	const char *cacert;	/* TLS: CA bundle to verify the members, or NULL */
	const char *cert;	/* client certificate and its key, or NULL */
	const char *key;
};

/* A key and its value (decoded, NUL-terminated), or a deletion. */
struct etcd_kv {
	const char *key;
	const char *value;	/* "" for a deletion */
	int64_t mod_revision;
	bool deleted;
};

/* A change of the key range: a put, or a delete (value NULL). */
struct etcd_op {
	const char *key;
	const char *value;
};

#define ETCD_COMPACTED	(-2)	/* the revision asked for is compacted */

struct etcd;

/* NULL after printing why (a malformed endpoint list, no memory). */
struct etcd *etcd_open(const struct etcd_opts *opts);
void etcd_close(struct etcd *e);

/* Why the last call failed, and the endpoint it last tried. */
const char *etcd_error(const struct etcd *e);
const char *etcd_endpoint(const struct etcd *e);

typedef int (*etcd_kv_cb)(const struct etcd_kv *kv, void *data);

/*
 * Every key under @prefix at one revision, stored in *@revision: @cb for
 * each (in key order), stopping with its non-zero return. Large ranges are
 * read in pages, all at that revision. 0, @cb's return, or -1.
 */
int etcd_get_prefix(struct etcd *e, const char *prefix, int64_t *revision,
		    etcd_kv_cb cb, void *data);

/*
 * The changes to keys under @prefix from revision @start on: @cb gets the
 * events of each response (whole transactions: all events of a revision
 * come in one response) and the revision of the last. Returns when the
 * stream ends: -1 (lost connection, error), ETCD_COMPACTED, or @cb's
 * non-zero return. Never returns 0.
 */
typedef int (*etcd_events_cb)(const struct etcd_kv *ev, size_t n,
			      int64_t revision, void *data);
int etcd_watch_prefix(struct etcd *e, const char *prefix, int64_t start,
		      etcd_events_cb cb, void *data);

/*
 * One transaction of @n ops, done only if no key under @prefix changed
 * after revision @since: 0 done (*@revision: its revision), 1 not done
 * (something changed: read again), -1 error.
 */
int etcd_txn(struct etcd *e, const char *prefix, int64_t since,
	     const struct etcd_op *ops, size_t n, int64_t *revision);

#endif /* MAP646_ETCD_H */
