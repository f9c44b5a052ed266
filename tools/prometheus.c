// SPDX-License-Identifier: GPL-2.0
/*
 * stats prometheus: the counters of every map646 device (or of -d DEV) in
 * the Prometheus text exposition format, for the node exporter's textfile
 * collector (dist/map646-prometheus). With -s, per-mapping counters too.
 *
 *   map646_translated_packets_total{device,direction}
 *   map646_dropped_packets_total{device,reason}    reason: the counter's
 *                                                   name without "drop_"
 *   map646_<name>_total{device}                     any other counter
 *   map646_mappings{device}
 *   map646_devices                                  0: none, or no module
 *   map646_mapping_packets_total{device,ipv4,ipv6,direction}    (-s)
 *   map646_mapping_bytes_total{device,ipv4,ipv6,direction}      (-s)
 *   map646_info{tool_version,module_version}
 *   map646_module_version_mismatch
 *
 * Every sample of a metric comes in one block, as the format requires, so
 * everything is read before anything is printed.
 */

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

#define DROP_PREFIX	"drop_"
#define XLAT_PREFIX	"xlat_"

/* What one device has to say. */
struct dev_metrics {
	char name[IFNAMSIZ];
	struct dev_stats st;
	uint32_t mappings;
	struct maps maps;	/* with -s */
};

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

/*
 * The name of counter @type (the kernel's, as map646ctl stats shows it),
 * NULL if no device reported it.
 */
static const char *counter_name(const struct dev_metrics *devs,
				unsigned int n, unsigned int type)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (devs[i].st.name[type][0])
			return devs[i].st.name[type];
	return NULL;
}

/* A label value: backslash, double quote and newline escaped. */
static void label(const char *key, const char *val, bool first)
{
	printf("%s%s=\"", first ? "" : ",", key);
	for (; *val; val++) {
		if (*val == '\\' || *val == '"')
			printf("\\%c", *val);
		else if (*val == '\n')
			fputs("\\n", stdout);
		else
			putchar(*val);
	}
	putchar('"');
}

static int mappings_cb(const struct nlmsghdr *nlh, void *data)
{
	static const struct nl_policy pol[MAP646_A_MAX + 1] = {
		[MAP646_A_MAP_COUNT] = { .type = MNL_TYPE_U32 },
	};
	const struct nlattr *tb[MAP646_A_MAX + 1];

	if (nl_parse(nlh, GENL_HDRLEN, pol, MAP646_A_MAX, tb))
		return MNL_CB_ERROR;
	if (tb[MAP646_A_MAP_COUNT])
		*(uint32_t *)data = mnl_attr_get_u32(tb[MAP646_A_MAP_COUNT]);
	return MNL_CB_OK;
}

static int read_device(struct dev_metrics *d)
{
	nl_set_device(d->name);
	if (stats_read(&d->st) ||
	    nl_do(nl_request(MAP646_CMD_CONFIG_GET), mappings_cb, &d->mappings))
		return -1;
	return opt_stats ? maps_dump(&d->maps) : 0;
}

/* The devices to report: -d DEV, or every map646 device there is. */
static int list_devices(struct dev_metrics **devs, unsigned int *n)
{
	struct nl_link *links = NULL;
	unsigned int i;

	if (nl_device()) {
		links = calloc(1, sizeof(*links));
		if (!links)
			return -1;
		snprintf(links->name, sizeof(links->name), "%s", nl_device());
		*n = 1;
	} else if (nl_links(&links, n)) {
		return -1;
	}
	*devs = calloc(*n ?: 1, sizeof(**devs));
	if (!*devs) {
		free(links);
		return -1;
	}
	for (i = 0; i < *n; i++)
		memcpy((*devs)[i].name, links[i].name, IFNAMSIZ);
	free(links);
	return 0;
}

/* The header of a metric family, before its first sample. */
static void family(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* The start of a sample, up to its device label. */
static void sample(const char *metric, const struct dev_metrics *d)
{
	printf("%s{", metric);
	label("device", d->name, true);
}

/*
 * Counter @type of every device as samples of family @metric (its header
 * first, unless *@started), with the counter's name past @skip characters
 * in label @key (none if NULL).
 */
static void print_counter(const struct dev_metrics *devs, unsigned int n,
			  unsigned int type, const char *metric,
			  const char *help, const char *key, size_t skip,
			  bool *started)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		if (!devs[i].st.name[type][0])
			continue;
		if (!*started)
			family(metric, "counter", help);
		*started = true;
		sample(metric, &devs[i]);
		if (key)
			label(key, devs[i].st.name[type] + skip, false);
		printf("} %" PRIu64 "\n", devs[i].st.val[type]);
	}
}

/*
 * The counters whose names start with @prefix as one family @metric,
 * the rest of the name in label @key.
 */
static void print_group(const struct dev_metrics *devs, unsigned int n,
			const char *prefix, const char *metric,
			const char *key, const char *help)
{
	bool started = false;
	const char *name;
	unsigned int type;

	for (type = 0; type < DEV_STATS_MAX; type++) {
		name = counter_name(devs, n, type);
		if (name && starts_with(name, prefix))
			print_counter(devs, n, type, metric, help, key,
				      strlen(prefix), &started);
	}
}

/* Every other counter: a family of its own, map646_NAME_total. */
static void print_others(const struct dev_metrics *devs, unsigned int n)
{
	char metric[64], help[128];
	const char *name;
	unsigned int type;
	bool started;

	for (type = 0; type < DEV_STATS_MAX; type++) {
		name = counter_name(devs, n, type);
		if (!name || starts_with(name, DROP_PREFIX) ||
		    starts_with(name, XLAT_PREFIX))
			continue;
		snprintf(metric, sizeof(metric), "map646_%s_total", name);
		snprintf(help, sizeof(help),
			 "Counter %s of map646ctl stats, see map646ctl(8)", name);
		started = false;
		print_counter(devs, n, type, metric, help, NULL, 0, &started);
	}
}

/* One per-mapping counter of every device, both directions. */
static void print_mapping_counter(const struct dev_metrics *devs,
				  unsigned int n, const char *metric,
				  const char *help, bool bytes)
{
	char v4[INET_ADDRSTRLEN], v6[INET6_ADDRSTRLEN];
	const struct mapping *m;
	unsigned int i;
	int dir;

	family(metric, "counter", help);
	for (i = 0; i < n; i++) {
		for (m = devs[i].maps.v; m < devs[i].maps.v + devs[i].maps.n; m++) {
			inet_ntop(AF_INET, &m->v4, v4, sizeof(v4));
			inet_ntop(AF_INET6, &m->v6, v6, sizeof(v6));
			for (dir = 0; dir < 2; dir++) {
				sample(metric, &devs[i]);
				label("ipv4", v4, false);
				label("ipv6", v6, false);
				label("direction", dir ? "6to4" : "4to6", false);
				printf("} %" PRIu64 "\n", bytes ?
				       (dir ? m->c.bytes_6to4 : m->c.bytes_4to6) :
				       (dir ? m->c.pkts_6to4 : m->c.pkts_4to6));
			}
		}
	}
}

static void print_devices(const struct dev_metrics *devs, unsigned int n)
{
	unsigned int i;

	family("map646_devices", "gauge",
	       "map646 devices in the network namespace (0 also without the module)");
	printf("map646_devices %u\n", n);
	if (!n)
		return;
	print_group(devs, n, XLAT_PREFIX, "map646_translated_packets_total",
		    "direction", "Packets translated, by direction");
	print_group(devs, n, DROP_PREFIX, "map646_dropped_packets_total",
		    "reason",
		    "Packets dropped, by reason (the counters drop_REASON of map646ctl(8))");
	print_others(devs, n);
	family("map646_mappings", "gauge", "Mappings in the device's table");
	for (i = 0; i < n; i++) {
		sample("map646_mappings", &devs[i]);
		printf("} %" PRIu32 "\n", devs[i].mappings);
	}
	if (!opt_stats)
		return;
	print_mapping_counter(devs, n, "map646_mapping_packets_total",
			      "Packets a mapping translated, by direction",
			      false);
	print_mapping_counter(devs, n, "map646_mapping_bytes_total",
			      "Bytes a mapping translated (as they reached the device), by direction",
			      true);
}

/* The versions, even with the module not loaded (then without devices). */
static void print_versions_info(const char *mod)
{
	family("map646_info", "gauge",
	       "Versions of map646ctl and of the loaded map646 module");
	printf("map646_info{");
	label("tool_version", MAP646_VERSION, true);
	if (mod)
		label("module_version", mod, false);
	printf("} 1\n");
	family("map646_module_version_mismatch", "gauge",
	       "1 if the loaded module is not map646ctl's version (upgraded, not reloaded)");
	printf("map646_module_version_mismatch %d\n",
	       mod && strcmp(mod, MAP646_VERSION));
}

int cmd_stats_prometheus(int argc, char **argv)
{
	struct dev_metrics *devs = NULL;
	unsigned int i, n = 0;
	char mod[64];
	bool loaded;
	int ret = CMD_FAILED;

	if (argc)
		return bad_argc(argc, argv, 0);
	loaded = module_version(mod, sizeof(mod));
	if (!loaded && nl_device()) {
		failed("no device %s: map646 module not loaded", nl_device());
		return CMD_FAILED;
	}
	if (loaded) {
		if (list_devices(&devs, &n))
			return CMD_FAILED;
		for (i = 0; i < n; i++)
			if (read_device(&devs[i]))
				goto out;
	}
	print_versions_info(loaded ? mod : NULL);
	print_devices(devs, n);
	ret = 0;
out:
	for (i = 0; i < n; i++)
		free(devs[i].maps.v);
	free(devs);
	return ret;
}
