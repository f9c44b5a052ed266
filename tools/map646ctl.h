/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map646ctl commands. A handler gets the words after its command name and
 * returns 0, CMD_FAILED after reporting a failure (the kernel refused, a
 * file could not be read or written), or CMD_USAGE from bad_usage():
 * checking arguments comes before any netlink traffic. These are the exit
 * statuses too. Every message on standard error starts with "map646ctl: ".
 */

#ifndef MAP646CTL_H
#define MAP646CTL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <netinet/in.h>

#define CMD_FAILED	1
#define CMD_USAGE	2

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* -j: JSON output; -s: counters too. */
extern bool opt_json, opt_stats;

int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* A failure message, with the FILE:LINE of usage_context() when set. */
void failed(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int bad_argc(int argc, char **argv, int want);

/* Counters of one mapping (enum map646_map_stat). */
struct map_counters {
	uint64_t pkts_4to6, bytes_4to6, pkts_6to4, bytes_6to4;
	uint64_t idle_ms;
	bool used;		/* idle_ms is valid */
};

/*
 * One mapping, from the kernel or from a config file (file:line): IPv4
 * <-> IPv6, one address each (lengths 32 and 128) or two blocks, or a
 * map66 mapping (global in @v6, @internal).
 */
struct mapping {
	struct in_addr v4;
	struct in6_addr v6;
	struct in6_addr internal;
	uint8_t len4, len6;
	bool is66;
	struct map_counters c;
	const char *file;
	unsigned int line;
	bool dup;		/* an earlier mapping holds one of its addresses */
};

struct maps {
	struct mapping *v;
	size_t n, size;
};

int maps_push(struct maps *m, const struct mapping *x);

struct nlattr;
struct nlmsghdr;

/* Which addresses of a mapping a request carries (map66: internal, global). */
#define MAP_WITH_V4	1
#define MAP_WITH_V6	2
/* Put the addresses of @m (and the lengths of a block) in a request. */
void mapping_put(struct nlmsghdr *nlh, const struct mapping *m,
		 unsigned int attrs);
/* Add @m with the counters of MAP646_A_MAP_STATS @stats (or none) to the
 * struct maps @data: an mnl callback's result. */
int maps_push_counted(void *data, struct mapping *m,
		      const struct nlattr *stats);
/* Dump command @cmd of the device into @m, @cb making each mapping. */
int maps_dump_cmd(uint8_t cmd,
		  int (*cb)(const struct nlmsghdr *nlh, void *data),
		  struct maps *m);
/* The device's table, with counters. Reports its errors; 0 or -1. */
int maps_dump(struct maps *m);
/* Sort by mapping_cmp(): the order of save and the digest. */
void maps_sort(struct maps *m);
void maps_print(const struct maps *m);
/*
 * Why the kernel would refuse map66 mapping @m (an address that cannot be
 * mapped, both the same), in @buf or a constant, or NULL.
 */
const char *map66_refusal(const struct mapping *m, char *buf, size_t size);
/* The device's map66 mappings, with counters; 0 or -1. */
int maps66_dump(struct maps *m);
/* Both dumps in one: the IPv4 mappings, then the map66 ones; 0 or -1. */
int maps_dump_all(struct maps *m);
/* ADDR or ADDR/LEN of @family, bits past LEN zero: 0, or -1 and @why. */
int parse_block(const char *arg, int family, void *addr, uint8_t *len,
		const char **why);
/* "ADDR" or "ADDR/LEN" (when LEN is not the family's full length). */
const char *block_str(int family, const void *addr, uint8_t len, char *buf,
		      size_t size);
/*
 * Why the kernel would refuse this address in a mapping (RFC 6890 special
 * purpose, see MAP646_CMD_MAP_ADD), or NULL.
 */
const char *untranslatable4(const struct in_addr *a);
const char *untranslatable6(const struct in6_addr *a);
/*
 * qsort() order of two struct mapping: IPv4 mappings by IPv4 address
 * (blocks by length after it), then IPv6; map66 mappings after them all,
 * by global address.
 */
int mapping_cmp(const void *a, const void *b);
/*
 * SHA-256 of the table in maps_sort() order, hex: per mapping its IPv4
 * and IPv6 address (4 + 16 bytes), a block's two lengths after them
 * (1 + 1), a map66 mapping's global and internal address (16 + 16).
 */
int maps_digest(const struct maps *m, char hex[65]);

/*
 * A device's counters, indexed by enum map646_stat, each under the name
 * the kernel gives it ("" for a type the kernel did not send). Room for
 * counters newer than this tool.
 */
#define DEV_STATS_MAX	64
struct dev_stats {
	uint64_t val[DEV_STATS_MAX];
	char name[DEV_STATS_MAX][32];
};

/* The device's counters. Reports its errors; 0 or -1. */
int stats_read(struct dev_stats *st);

/*
 * The version of the loaded map646 module into @buf; false when the
 * module is not loaded.
 */
bool module_version(char *buf, size_t size);
/* -V: the tool's version and the loaded module's. */
int print_versions(void);

struct nlmsghdr;

/*
 * Check setting KEY VALUE (as `settings set` and config files write it)
 * and add it to @nlh, which may be a scratch message: 0, or CMD_USAGE
 * after bad_usage() said why.
 */
int settings_put(struct nlmsghdr *nlh, const char *key, const char *val);
/* KEY is a device setting (settings set KEY, a config-file statement). */
bool settings_known(const char *key);

/* The device's settings, as MAP646_CMD_CONFIG_GET tells them. */
struct dev_settings {
	char ifname[16];
	uint32_t ifindex;
	uint32_t count;		/* IPv4 mappings, blocks included */
	uint32_t count66;	/* map66 mappings */
	struct in6_addr prefix;
	uint8_t prefix_len;	/* 0: none */
	struct in_addr pool4;
	uint8_t pool4_len;	/* 0: none */
	struct in6_addr pool6;
	uint8_t pool6_len;	/* 0: none */
	uint16_t lowest_mtu;
	int8_t flag[4];		/* -1: not reported */
};

/* Reports its errors; 0 or -1. */
int settings_get(struct dev_settings *s);
/*
 * Write @s to @f as config-file lines (-j: members of the JSON object
 * being written). @all: the device's name, mapping count and @digest too.
 */
void settings_write(FILE *f, const struct dev_settings *s, bool all,
		    const char *digest);
/*
 * Print the settings of a MAP646_CMD_CONFIG_SET notification on the
 * current line (text: " key value" pairs; JSON: members of the object
 * the caller opened). MNL_CB_OK or MNL_CB_ERROR.
 */
int settings_event(const struct nlmsghdr *nlh);
/* PREFIX/LEN, or none: the all-zero prefix with length 0. 0 or CMD_USAGE. */
int parse_prefix(const char *arg, struct in6_addr *prefix, uint8_t *plen);

/* bad_usage() messages start with FILE:LINE: while @file is set. */
void usage_context(const char *file, unsigned int line);

/* A config file, read whole: see map646.conf(5). */
struct route {
	int family;		/* AF_INET or AF_INET6 */
	char text[64];		/* as written, e.g. 192.0.2.0/24 */
};

/* route-table and route-metric: 0 when the file does not set them. */
struct route_opts {
	uint32_t table, metric;
};

/* A setting of a config file. */
struct setting {
	char key[24];
	char val[64];
	const char *file;
	unsigned int line;
};

struct conf {
	struct maps maps;
	struct maps maps66;	/* map66-static */
	struct setting *set;
	size_t nset;
	struct route *routes;
	size_t nroutes;
	struct route_opts ropt;
	char **files;		/* every file read, for mapping.file */
	size_t nfiles;
};

/* Read @path and its includes. Reports errors as file:line; 0 or -1. */
int conf_read(const char *path, struct conf *c);
void conf_free(struct conf *c);
/*
 * Build a conf statement by statement, as map646-agent does from etcd keys:
 * one statement of the file's syntax (no include), or one setting, that
 * @origin:@lineno stands for in error messages. 0 if taken, -1 after
 * reporting why not.
 */
int conf_add_statement(struct conf *c, const char *origin, unsigned int lineno,
		       const char *text);
int conf_add_setting(struct conf *c, const char *origin, unsigned int lineno,
		     const char *key, const char *val);
/*
 * Report each mapping an address of which an earlier one holds, and drop
 * it: the number dropped.
 */
size_t conf_drop_duplicates(struct conf *c);
/* Replace the device's table and settings with @c's (one table swap). */
int conf_load(const struct conf *c);
/*
 * Append @s to @c->set as config-file settings (what `save` writes of
 * them). 0, or -1 out of memory.
 */
int settings_conf(const struct dev_settings *s, struct conf *c);

/* Minimal JSON writer: one value per call, commas and nesting handled. */
void json_stream(FILE *f);			/* default stdout */
void json_begin(char open, const char *key);	/* '{' or '[' */
void json_end(char close);
void json_str(const char *key, const char *val);
void json_u64(const char *key, uint64_t val);
void json_null(const char *key);

int cmd_map_add(int argc, char **argv);
int cmd_map_del(int argc, char **argv);
int cmd_map_show(int argc, char **argv);
int cmd_map_flush(int argc, char **argv);
int cmd_settings_show(int argc, char **argv);
int cmd_settings_set(int argc, char **argv);
int cmd_prefix_set(int argc, char **argv);
int cmd_prefix_show(int argc, char **argv);
int cmd_stats_show(int argc, char **argv);
int cmd_stats_reset(int argc, char **argv);
int cmd_stats_prometheus(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_sync(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_config_check(int argc, char **argv);
int cmd_config_routes(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_map66_add(int argc, char **argv);
int cmd_map66_del(int argc, char **argv);
int cmd_map66_show(int argc, char **argv);

#endif /* MAP646CTL_H */
