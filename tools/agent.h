/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map646-agent: keeps a map646 device's table and settings equal to a key
 * prefix in etcd (see map646-agent(8), docs/etcd.md).
 */

#ifndef MAP646_AGENT_H
#define MAP646_AGENT_H

#include <stddef.h>
#include <stdint.h>

#include "etcd.h"

struct conf;

struct agent {
	const char *dev;	/* the device */
	char prefix[256];	/* its keys: /map646/DEV/ by default */
	char state_path[256];	/* the state file */
	struct etcd_opts etcd;
};

/* Log a line to stderr (the journal), prefixed with the device. */
void agent_log(const struct agent *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/*
 * The schema (docs/etcd.md): PREFIX map/IPV4 = IPV6 is map-static IPV4
 * IPV6, PREFIX settings/KEY = VALUE is the setting KEY VALUE.
 */

/*
 * Add key @key (under @prefix) with @value, modified at @rev, to @c as the
 * statement it stands for. 0, or -1 after reporting "KEY:REV: why".
 */
int schema_add(struct conf *c, const char *prefix, const char *key,
	       const char *value, int64_t rev);

/* A key (after the prefix) and its value, as schema_items() lists them. */
struct schema_item {
	char key[96];
	char value[80];
};

/* The keys @c stands for, sorted by key: 0, or -1 (no memory). */
int schema_items(const struct conf *c, struct schema_item **v, size_t *n);

/* What an operator sees of a running agent: its state file. */
struct agent_state {
	const char *state;	/* starting, synced, unreachable, failed */
	int64_t revision;	/* of the last change applied */
	size_t mappings, settings, bad_keys;
	unsigned long changes;	/* watch answers applied */
	unsigned long resyncs;	/* full reads after the first */
	char error[512];	/* why the last attempt failed */
	long long since;	/* when the state was entered (Unix time) */
	long long applied;	/* when the device last changed */
};

/* Enter @state (logged when it changes) and write the state file. */
void state_enter(const struct agent *a, struct agent_state *s,
		 const char *state, const char *error);
void state_write(const struct agent *a, const struct agent_state *s);

int agent_run(const struct agent *a);
int agent_status(const struct agent *a);
int agent_push(const struct agent *a, const char *file);
int agent_diff(const struct agent *a);

/*
 * Read the whole prefix at one revision (*@revision) into @c, as the agent
 * applies it: bad keys reported and left out, duplicates dropped. 0 or -1
 * (etcd unreachable: reported).
 */
int agent_read_etcd(const struct agent *a, struct etcd *e, struct conf *c,
		    int64_t *revision);

#endif /* MAP646_AGENT_H */
