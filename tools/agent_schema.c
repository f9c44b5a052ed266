// SPDX-License-Identifier: GPL-2.0
/*
 * The etcd key schema of map646-agent, both ways: a key and its value are
 * the config-file statement they stand for, checked by the config-file
 * parser (conffile.c), so etcd accepts exactly what map646.conf(5) does.
 *
 *   PREFIX map/IPV4[/LEN] = IPV6[/LEN]  map-static IPV4[/LEN] IPV6[/LEN]
 *   PREFIX map66/GLOBAL = INTERNAL      map66-static GLOBAL INTERNAL
 *   PREFIX settings/KEY = VALUE         KEY VALUE (prefix, pool4, ...)
 *
 * New kinds of statement get a directory of their own beside map/ here
 * and in schema_items().
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>

#include "agent.h"
#include "map646ctl.h"

#define DIR_MAP		"map/"
#define DIR_MAP66	"map66/"
#define DIR_SETTINGS	"settings/"

static const char *after(const char *s, const char *head)
{
	size_t len = strlen(head);

	return strncmp(s, head, len) ? NULL : s + len;
}

int schema_add(struct conf *c, const char *prefix, const char *key,
	       const char *value, int64_t rev)
{
	unsigned int line = rev > 0 && rev <= 0xffffffff ? rev : 0;
	const char *name = after(key, prefix), *arg;
	char text[256];

	if (!name) {
		fprintf(stderr, "%s:%u: not under %s\n", key, line, prefix);
		return -1;
	}
	arg = after(name, DIR_MAP);
	if (arg && *arg) {
		snprintf(text, sizeof(text), "map-static %s %s", arg, value);
		return conf_add_statement(c, key, line, text);
	}
	arg = after(name, DIR_MAP66);
	if (arg && *arg) {
		snprintf(text, sizeof(text), "map66-static %s %s", arg, value);
		return conf_add_statement(c, key, line, text);
	}
	arg = after(name, DIR_SETTINGS);
	if (arg && *arg) {
		/* a value as `etcdctl put KEY "$(cat file)"` may leave it */
		snprintf(text, sizeof(text), "%s", value);
		text[strcspn(text, "\r\n")] = '\0';
		return conf_add_setting(c, key, line, arg, text);
	}
	fprintf(stderr, "%s:%u: unknown key (the schema has %s%s*, %s%s* and %s%s*)\n",
		key, line, prefix, DIR_MAP, prefix, DIR_MAP66, prefix,
		DIR_SETTINGS);
	return -1;
}

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct schema_item *)a)->key,
		      ((const struct schema_item *)b)->key);
}

int schema_items(const struct conf *c, struct schema_item **v, size_t *n)
{
	char a[INET6_ADDRSTRLEN + 4];
	const struct mapping *m;
	struct schema_item *it;
	size_t i;

	*n = 0;
	*v = it = calloc(c->maps.n + c->maps66.n + c->nset + 1, sizeof(*it));
	if (!it)
		return -1;
	for (i = 0; i < c->maps.n; i++, it++) {
		m = &c->maps.v[i];
		snprintf(it->key, sizeof(it->key), DIR_MAP "%s",
			 block_str(AF_INET, &m->v4, m->len4, a, sizeof(a)));
		block_str(AF_INET6, &m->v6, m->len6, it->value, sizeof(it->value));
	}
	for (i = 0; i < c->maps66.n; i++, it++) {
		m = &c->maps66.v[i];
		snprintf(it->key, sizeof(it->key), DIR_MAP66 "%s",
			 inet_ntop(AF_INET6, &m->v6, a, sizeof(a)));
		inet_ntop(AF_INET6, &m->internal, it->value, sizeof(it->value));
	}
	for (i = 0; i < c->nset; i++, it++) {
		snprintf(it->key, sizeof(it->key), DIR_SETTINGS "%s", c->set[i].key);
		snprintf(it->value, sizeof(it->value), "%s", c->set[i].val);
	}
	*n = it - *v;
	qsort(*v, *n, sizeof(**v), by_key);
	return 0;
}
