// SPDX-License-Identifier: GPL-2.0
/*
 * Whole-device operations: load FILE (settings and table replaced in one
 * swap), sync FILE (the same, with a summary of the change), save [FILE]
 * (the device as a config file), config check|routes.
 */

#include <err.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <sys/stat.h>
#include <linux/genetlink.h>
#include <linux/map646.h>

#include "map646ctl.h"
#include "nl.h"

/* The largest MAP646_A_MAP nest: a block, 4 + 8 + 20 + 8 + 8 bytes. */
#define ENTRY_SIZE	48

/* The mapping of @v[@first..] the kernel blamed in the failed request. */
static void blame(const struct mapping *v, size_t first, const size_t *offs,
		  size_t n)
{
	long off = nl_error_offset();
	const struct mapping *m;
	size_t i;

	if (off < 0)
		return;
	for (i = n; i-- > 0;)
		if ((size_t)off >= offs[i])
			break;
	if (i >= n || !v[first + i].file)
		return;
	m = &v[first + i];
	warnx("%s:%u: the mapping refused", m->file, m->line);
}

/* The mappings of @m into the staged table, as many per request as fit. */
static int stage_mappings(const struct maps *m)
{
	static size_t offs[NL_REQ_SIZE / ENTRY_SIZE];
	const struct mapping *x;
	struct nlattr *maps, *e;
	struct nlmsghdr *nlh;
	size_t i = 0, k;

	while (i < m->n) {
		nlh = nl_request(MAP646_CMD_REPLACE_ADD);
		maps = mnl_attr_nest_start(nlh, MAP646_A_MAPS);
		for (k = 0; i + k < m->n && k < ARRAY_SIZE(offs) &&
		     nlh->nlmsg_len + ENTRY_SIZE + 64 < NL_REQ_SIZE; k++) {
			x = &m->v[i + k];
			offs[k] = nlh->nlmsg_len;
			e = mnl_attr_nest_start(nlh, MAP646_A_MAP);
			mapping_put(nlh, x, MAP_WITH_V4 | MAP_WITH_V6);
			mnl_attr_nest_end(nlh, e);
		}
		mnl_attr_nest_end(nlh, maps);
		if (nl_do(nlh, NULL, NULL)) {
			blame(m->v, i, offs, k);
			return -1;
		}
		i += k;
	}
	return 0;
}

/*
 * The whole device from @c: BEGIN stages the settings (those the file
 * names, the defaults for the others), the mappings of both kinds follow,
 * COMMIT swaps table and settings in at once. Nothing changes unless
 * COMMIT succeeds.
 */
int conf_load(const struct conf *c)
{
	struct nlmsghdr *nlh;
	size_t i;
	int err;

	if (nl_open())
		return -1;
	nlh = nl_request(MAP646_CMD_REPLACE_BEGIN);
	mnl_attr_put_u32(nlh, MAP646_A_MAP_COUNT, c->maps.n);
	mnl_attr_put(nlh, MAP646_A_REPLACE_CONFIG, 0, NULL);
	for (i = 0; i < c->nset; i++)
		settings_put(nlh, c->set[i].key, c->set[i].val);
	err = nl_do(nlh, NULL, NULL);
	if (!err) {
		err = stage_mappings(&c->maps) ?: stage_mappings(&c->maps66) ?:
		      nl_do(nl_request(MAP646_CMD_REPLACE_COMMIT), NULL, NULL);
		/* free the staged table now, not when the socket closes */
		if (err)
			nl_do_quiet(nl_request(MAP646_CMD_REPLACE_ABORT));
	}
	if (err)
		failed("nothing was changed");
	return err;
}

/* Read config file argv[0] whole, then @apply it to the device. */
static int with_file(int argc, char **argv, int (*apply)(const struct conf *))
{
	struct conf c;
	int ret = CMD_FAILED;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (conf_read(argv[0], &c))
		return CMD_FAILED;
	if (!nl_open() && !apply(&c))
		ret = 0;
	conf_free(&c);
	return ret;
}

int cmd_load(int argc, char **argv)
{
	return with_file(argc, argv, conf_load);
}

/* How many mappings of @want (sorted) @have (sorted) holds already. */
static size_t common(const struct maps *have, const struct mapping *want,
		     size_t nw)
{
	size_t i = 0, j = 0, n = 0;
	int cmp;

	while (i < have->n && j < nw) {
		cmp = mapping_cmp(&have->v[i], &want[j]);
		i += cmp <= 0;
		j += cmp >= 0;
		n += !cmp;
	}
	return n;
}

/*
 * sync FILE: load FILE (one swap, counters of unchanged mappings kept) and
 * say how the table changed, from a dump taken just before.
 */
static int sync_file(const struct conf *c)
{
	size_t nw = c->maps.n + c->maps66.n, same;
	struct maps cur = { 0 };
	struct mapping *want;
	int err = -1;

	want = malloc((nw + 1) * sizeof(*want));
	if (!want) {
		failed("%s", strerror(ENOMEM));
		return -1;
	}
	memcpy(want, c->maps.v, c->maps.n * sizeof(*want));
	memcpy(want + c->maps.n, c->maps66.v, c->maps66.n * sizeof(*want));
	if (maps_dump_all(&cur))
		goto out;
	maps_sort(&cur);
	qsort(want, nw, sizeof(*want), mapping_cmp);
	same = common(&cur, want, nw);
	err = conf_load(c);
	if (err)
		goto out;
	if (opt_json) {
		json_begin('{', NULL);
		json_u64("added", nw - same);
		json_u64("deleted", cur.n - same);
		json_u64("unchanged", same);
		json_end('}');
	} else {
		printf("%zu added, %zu deleted, %zu unchanged\n",
		       nw - same, cur.n - same, same);
	}
out:
	free(cur.v);
	free(want);
	return err;
}

int cmd_sync(int argc, char **argv)
{
	return with_file(argc, argv, sync_file);
}

/* The device as a config file (or with -j, a JSON object), into @f. */
/* The two addresses (or blocks) of @m as text. */
static void mapping_text(const struct mapping *m, char *a, char *b,
			 size_t size)
{
	if (m->is66) {
		inet_ntop(AF_INET6, &m->v6, a, size);
		inet_ntop(AF_INET6, &m->internal, b, size);
	} else {
		block_str(AF_INET, &m->v4, m->len4, a, size);
		block_str(AF_INET6, &m->v6, m->len6, b, size);
	}
}

/*
 * The mappings of @t of one kind (@is66) as a JSON array @key, members
 * @ka and @kb.
 */
static void save_json_maps(const struct maps *t, bool is66, const char *key,
			   const char *ka, const char *kb)
{
	char a[INET6_ADDRSTRLEN + 4], b[INET6_ADDRSTRLEN + 4];
	size_t i;

	json_begin('[', key);
	for (i = 0; i < t->n; i++) {
		if (t->v[i].is66 != is66)
			continue;
		mapping_text(&t->v[i], a, b, sizeof(a));
		json_begin('{', NULL);
		json_str(ka, a);
		json_str(kb, b);
		json_end('}');
	}
	json_end(']');
}

static void save_write(FILE *f, const struct dev_settings *s,
		       const struct maps *t)
{
	char a[INET6_ADDRSTRLEN + 4], b[INET6_ADDRSTRLEN + 4];
	size_t i;

	if (opt_json) {
		json_stream(f);
		json_begin('{', NULL);
		json_begin('{', "settings");
		settings_write(f, s, false, NULL);
		json_end('}');
		save_json_maps(t, false, "mappings", "ipv4", "ipv6");
		save_json_maps(t, true, "map66", "global", "internal");
		json_end('}');
		json_stream(NULL);
		return;
	}
	fprintf(f, "# map646.conf(5), written by map646ctl save\n");
	settings_write(f, s, false, NULL);
	for (i = 0; i < t->n; i++) {
		mapping_text(&t->v[i], a, b, sizeof(a));
		fprintf(f, "%s %s %s\n",
			t->v[i].is66 ? "map66-static" : "map-static", a, b);
	}
}

/*
 * Replace @path with @len bytes of @buf: a temporary file in the same
 * directory, written, synced, given @path's mode (and owner, when allowed),
 * renamed over @path, the directory synced. On failure @path is untouched.
 */
static int replace_file(const char *path, const char *buf, size_t len)
{
	char tmp[PATH_MAX], dir[PATH_MAX];
	struct stat st;
	mode_t mask;
	ssize_t n;
	int fd, dfd;

	snprintf(dir, sizeof(dir), "%s", path);
	if (snprintf(tmp, sizeof(tmp), "%s/.%s.XXXXXX", dirname(dir),
		     basename((char *)path)) >= (int)sizeof(tmp)) {
		failed("%s: %s", path, strerror(ENAMETOOLONG));
		return -1;
	}
	fd = mkstemp(tmp);
	if (fd < 0) {
		failed("%s: %s", tmp, strerror(errno));
		return -1;
	}
	if (!stat(path, &st)) {
		if (fchown(fd, st.st_uid, st.st_gid))
			errno = 0;	/* not ours to give away: keep the mode */
		if (fchmod(fd, st.st_mode & 07777))
			goto fail;
	} else {
		mask = umask(0);
		umask(mask);
		if (fchmod(fd, 0666 & ~mask))
			goto fail;
	}
	for (; len; buf += n, len -= n) {
		n = write(fd, buf, len);
		if (n < 0)
			goto fail;
	}
	if (fsync(fd) || close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path))
		goto fail;
	dfd = open(dir, O_RDONLY | O_DIRECTORY);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	return 0;
fail:
	failed("%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	return -1;
}

/*
 * save [FILE]: every query first, then the output in one piece: a failure
 * writes nothing. Mappings in IPv4 order, map66 mappings after them in
 * order of the global address: the same table saves the same.
 */
int cmd_save(int argc, char **argv)
{
	struct dev_settings s;
	struct maps t = { 0 };
	char *buf = NULL;
	size_t len = 0;
	int ret = CMD_FAILED;
	FILE *f;

	if (argc > 1)
		return bad_argc(argc, argv, 1);
	if (settings_get(&s) || maps_dump_all(&t))
		goto out;
	maps_sort(&t);
	f = open_memstream(&buf, &len);
	if (!f) {
		failed("%s", strerror(errno));
		goto out;
	}
	save_write(f, &s, &t);
	if (fclose(f)) {
		failed("%s", strerror(errno));
		goto out;
	}
	if (argc)
		ret = replace_file(argv[0], buf, len) ? CMD_FAILED : 0;
	else
		ret = fwrite(buf, 1, len, stdout) == len ? 0 : CMD_FAILED;
out:
	free(buf);
	free(t.v);
	return ret;
}

int cmd_config_check(int argc, char **argv)
{
	struct conf c;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (conf_read(argv[0], &c))
		return CMD_FAILED;
	if (opt_json) {
		json_begin('{', NULL);
		json_str("file", argv[0]);
		json_u64("mappings", c.maps.n);
		json_u64("map66_mappings", c.maps66.n);
		json_u64("settings", c.nset);
		json_u64("routes", c.nroutes);
		json_end('}');
	} else {
		printf("%s: %zu mappings, %zu map66 mappings, %zu settings, %zu routes\n",
		       argv[0], c.maps.n, c.maps66.n, c.nset, c.nroutes);
	}
	conf_free(&c);
	return 0;
}

/* One route of config routes: "-4 PREFIX [table N] [metric N]". */
static void print_route(int family, const char *prefix,
			const struct route_opts *o)
{
	if (opt_json) {
		json_begin('{', NULL);
		json_u64("family", family == AF_INET ? 4 : 6);
		json_str("prefix", prefix);
		if (o->table)
			json_u64("table", o->table);
		if (o->metric)
			json_u64("metric", o->metric);
		json_end('}');
		return;
	}
	printf("-%c %s", family == AF_INET ? '4' : '6', prefix);
	if (o->table)
		printf(" table %u", o->table);
	if (o->metric)
		printf(" metric %u", o->metric);
	putchar('\n');
}

/*
 * The routes a device needs for a config file: the route4/route6 lines,
 * or by default one route per mapped IPv4 address or block, the
 * translation prefix and a /128 per map66 global address; with the file's
 * route-table and route-metric.
 */
int cmd_config_routes(int argc, char **argv)
{
	bool have4 = false, have6 = false;
	char buf[INET6_ADDRSTRLEN + 4];
	struct conf c;
	size_t i;

	if (argc != 1)
		return bad_argc(argc, argv, 1);
	if (conf_read(argv[0], &c))
		return CMD_FAILED;
	if (opt_json)
		json_begin('[', NULL);
	for (i = 0; i < c.nroutes; i++) {
		print_route(c.routes[i].family, c.routes[i].text, &c.ropt);
		have4 |= c.routes[i].family == AF_INET;
		have6 |= c.routes[i].family == AF_INET6;
	}
	for (i = 0; !have4 && i < c.maps.n; i++) {
		inet_ntop(AF_INET, &c.maps.v[i].v4, buf, sizeof(buf));
		snprintf(buf + strlen(buf), 5, "/%u", c.maps.v[i].len4);
		print_route(AF_INET, buf, &c.ropt);
	}
	for (i = 0; !have6 && i < c.nset; i++)
		if (!strcmp(c.set[i].key, "prefix") &&
		    strcmp(c.set[i].val, "none"))
			print_route(AF_INET6, c.set[i].val, &c.ropt);
	/* the global addresses of map66 mappings come to the device too */
	for (i = 0; !have6 && i < c.maps66.n; i++) {
		inet_ntop(AF_INET6, &c.maps66.v[i].v6, buf, sizeof(buf));
		strcat(buf, "/128");
		print_route(AF_INET6, buf, &c.ropt);
	}
	if (opt_json)
		json_end(']');
	conf_free(&c);
	return 0;
}
