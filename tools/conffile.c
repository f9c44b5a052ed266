// SPDX-License-Identifier: GPL-2.0
/*
 * The config file, map646.conf(5): the original map646 syntax
 * (mapping-prefix, map-static, map66-static, include) plus comments, blocks
 * in map-static (RFC 7757), device settings
 * (KEY VALUE, as `settings set` takes them) and the routes the systemd unit
 * adds. Read whole and checked before anything
 * is applied; every error names its file and line.
 */

#include <err.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <arpa/inet.h>
#include <libmnl/libmnl.h>

#include "map646ctl.h"

#define MAX_DEPTH	10	/* include nesting, as the original */
#define MAX_ERRORS	20
#define MAX_WORDS	4

struct reader {
	struct conf *c;
	int errors;
	const char *file;	/* being read */
	unsigned int line;
};

static void error(struct reader *r, const char *file, unsigned int line,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void error(struct reader *r, const char *file, unsigned int line,
		  const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	if (++r->errors > MAX_ERRORS)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	warnx("%s:%u: %s", file, line, msg);
}

/* map-static IPV4[/LEN] IPV6[/LEN] */
static void map_static(struct reader *r, char **w)
{
	struct mapping m = { .file = r->file, .line = r->line };
	const char *why;

	if (parse_block(w[1], AF_INET, &m.v4, &m.len4, &why))
		return error(r, r->file, r->line, "'%s' %s", w[1], why);
	if (parse_block(w[2], AF_INET6, &m.v6, &m.len6, &why))
		return error(r, r->file, r->line, "'%s' %s", w[2], why);
	if (m.len4 == 32 && m.len6 != 128)
		return error(r, r->file, r->line,
			     "'%s' is one address, '%s' a block", w[1], w[2]);
	if (32 - m.len4 > 128 - m.len6)
		return error(r, r->file, r->line,
			     "the IPv4 block %s is larger than the IPv6 block %s",
			     w[1], w[2]);
	why = m.len4 == 32 ? untranslatable4(&m.v4) : NULL;
	if (why)
		return error(r, r->file, r->line,
			     "%s cannot be translated (%s)", w[1], why);
	why = m.len6 == 128 ? untranslatable6(&m.v6) : NULL;
	if (why)
		return error(r, r->file, r->line,
			     "%s cannot be translated (%s)", w[2], why);
	if (maps_push(&r->c->maps, &m))
		error(r, r->file, r->line, "%s", strerror(ENOMEM));
}

/* map66-static GLOBAL INTERNAL, as in the original map646 */
static void map66_static(struct reader *r, char **w)
{
	struct mapping m = { .is66 = true, .file = r->file, .line = r->line };
	char buf[INET6_ADDRSTRLEN + 64];
	const char *why;

	if (inet_pton(AF_INET6, w[1], &m.v6) != 1)
		return error(r, r->file, r->line, "'%s' is not an IPv6 address",
			     w[1]);
	if (inet_pton(AF_INET6, w[2], &m.internal) != 1)
		return error(r, r->file, r->line, "'%s' is not an IPv6 address",
			     w[2]);
	why = map66_refusal(&m, buf, sizeof(buf));
	if (why)
		return error(r, r->file, r->line, "%s", why);
	if (maps_push(&r->c->maps66, &m))
		error(r, r->file, r->line, "%s", strerror(ENOMEM));
}

/* KEY VALUE: a device setting, checked as `settings set` checks it. */
static void setting(struct reader *r, const char *key, const char *val)
{
	static char scratch[1024] __attribute__((aligned(8)));
	struct setting *v = r->c->set;
	size_t i;
	int bad;

	for (i = 0; i < r->c->nset; i++)
		if (!strcmp(v[i].key, key))
			return error(r, r->file, r->line,
				     "%s is already set at %s:%u", key,
				     v[i].file, v[i].line);
	usage_context(r->file, r->line);
	bad = settings_put(mnl_nlmsg_put_header(scratch), key, val);
	usage_context(NULL, 0);
	if (bad) {
		r->errors++;
		return;
	}
	if (strlen(key) >= sizeof(v->key) || strlen(val) >= sizeof(v->val))
		return error(r, r->file, r->line, "'%s %s' is too long", key,
			     val);
	v = reallocarray(v, r->c->nset + 1, sizeof(*v));
	if (!v)
		return error(r, r->file, r->line, "%s", strerror(ENOMEM));
	r->c->set = v;
	v += r->c->nset++;
	snprintf(v->key, sizeof(v->key), "%s", key);
	snprintf(v->val, sizeof(v->val), "%s", val);
	v->file = r->file;
	v->line = r->line;
}

/* mapping-prefix 64:ff9b:: means /96, as in the original map646 */
static void mapping_prefix(struct reader *r, const char *arg)
{
	char buf[INET6_ADDRSTRLEN + 8];

	snprintf(buf, sizeof(buf), "%s%s", arg, strchr(arg, '/') ? "" : "/96");
	setting(r, "prefix", buf);
}

static void route(struct reader *r, int family, const char *arg)
{
	unsigned char addr[16];
	char host[INET6_ADDRSTRLEN], *end = NULL;
	const char *slash = strchr(arg, '/');
	unsigned long len, max = family == AF_INET ? 32 : 128;
	struct route *v;
	unsigned int i;

	snprintf(host, sizeof(host), "%.*s",
		 slash ? (int)(slash - arg) : (int)strlen(arg), arg);
	len = slash ? strtoul(slash + 1, &end, 10) : max;
	if (inet_pton(family, host, addr) != 1 || (slash && (*end ||
	    end == slash + 1 || len > max)) || strlen(arg) >= sizeof(v->text))
		return error(r, r->file, r->line, "'%s' is not an IPv%c prefix",
			     arg, family == AF_INET ? '4' : '6');
	for (i = 0; i < max / 8; i++)
		if (addr[i] & (i * 8 >= len ? 0xff :
			       i * 8 + 8 > len ? 0xff >> (len - i * 8) : 0))
			return error(r, r->file, r->line,
				     "'%s' has bits set past its length", arg);
	v = reallocarray(r->c->routes, r->c->nroutes + 1, sizeof(*v));
	if (!v)
		return error(r, r->file, r->line, "%s", strerror(ENOMEM));
	r->c->routes = v;
	v += r->c->nroutes++;
	v->family = family;
	snprintf(v->text, sizeof(v->text), "%s", arg);
}

/* route-table N, route-metric N: how the unit adds the routes. */
static void route_opt(struct reader *r, const char *key, const char *arg,
		      uint32_t *val)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(arg, &end, 10);
	if (*end || end == arg || errno || v > UINT32_MAX || arg[0] == '-' ||
	    (!v && !strcmp(key, "route-table")))
		return error(r, r->file, r->line, "%s '%s' is not a number%s",
			     key, arg, strcmp(key, "route-table") ? "" :
			     " from 1 to 4294967295");
	if (*val)
		return error(r, r->file, r->line, "%s is set twice", key);
	*val = v;
}

static void read_file(struct reader *r, const char *path, int depth);

static void include(struct reader *r, const char *arg, int depth)
{
	char dir[PATH_MAX], path[PATH_MAX];

	if (depth >= MAX_DEPTH)
		return error(r, r->file, r->line,
			     "includes nested more than %d deep", MAX_DEPTH);
	/* relative to the including file */
	snprintf(dir, sizeof(dir), "%s", r->file);
	if (arg[0] == '/')
		snprintf(path, sizeof(path), "%s", arg);
	else
		snprintf(path, sizeof(path), "%s/%s", dirname(dir), arg);
	read_file(r, path, depth + 1);
}

/* The statements of one argument, device settings included. */
static bool known(const char *word)
{
	static const char *const statements[] = {
		"mapping-prefix", "include", "route4", "route6",
		"route-table", "route-metric",
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(statements); i++)
		if (!strcmp(word, statements[i]))
			return true;
	return settings_known(word);
}

/*
 * Cut @p into words at blanks, up to a comment or a newline: at most
 * MAX_WORDS + 1 of them (one too many says "too many"). One pass over the
 * characters, each classified by a table: a load reads a million lines.
 */
static int words(char *p, char **w)
{
	enum { WORD, BLANK, END };
	static const unsigned char kind[256] = {
		[' '] = BLANK, ['\t'] = BLANK, ['\r'] = BLANK,
		['\0'] = END, ['#'] = END, ['\n'] = END,
	};
	int n = 0;

	while (n <= MAX_WORDS) {
		while (kind[(unsigned char)*p] == BLANK)
			p++;
		if (kind[(unsigned char)*p] == END)
			break;
		w[n++] = p;
		while (kind[(unsigned char)*p] == WORD)
			p++;
		if (kind[(unsigned char)*p] == END) {
			*p = '\0';
			break;
		}
		*p++ = '\0';
	}
	return n;
}

static void line(struct reader *r, char *text, int depth)
{
	char *w[MAX_WORDS + 1];
	int n, want;

	n = words(text, w);
	if (!n)
		return;
	if (!strcmp(w[0], "map-static") || !strcmp(w[0], "map66-static"))
		want = 3;
	else if (known(w[0]))
		want = 2;	/* the other statements, settings included */
	else
		return error(r, r->file, r->line, "unknown statement '%s'",
			     w[0]);
	if (n != want)
		return error(r, r->file, r->line, n < want ?
			     "'%s' needs %d argument%s" :
			     "'%s' takes %d argument%s", w[0], want - 1,
			     want == 2 ? "" : "s");

	if (!strcmp(w[0], "map-static"))
		map_static(r, w);
	else if (!strcmp(w[0], "map66-static"))
		map66_static(r, w);
	else if (!strcmp(w[0], "mapping-prefix"))
		mapping_prefix(r, w[1]);
	else if (!strcmp(w[0], "include"))
		include(r, w[1], depth);
	else if (!strcmp(w[0], "route4") || !strcmp(w[0], "route6"))
		route(r, w[0][5] == '4' ? AF_INET : AF_INET6, w[1]);
	else if (!strcmp(w[0], "route-table"))
		route_opt(r, w[0], w[1], &r->c->ropt.table);
	else if (!strcmp(w[0], "route-metric"))
		route_opt(r, w[0], w[1], &r->c->ropt.metric);
	else
		setting(r, w[0], w[1]);
}

static void read_file(struct reader *r, const char *path, int depth)
{
	const char *outer = r->file;
	unsigned int outer_line = r->line;
	char *text = NULL, *name, **files;
	size_t size = 0;
	FILE *f;

	f = fopen(path, "r");
	if (!f) {
		if (outer)
			error(r, outer, outer_line, "%s: %s", path,
			      strerror(errno));
		else
			error(r, path, 0, "%s", strerror(errno));
		return;
	}
	name = strdup(path);
	files = reallocarray(r->c->files, r->c->nfiles + 1, sizeof(*files));
	if (!name || !files) {
		free(name);
		error(r, path, 0, "%s", strerror(ENOMEM));
		fclose(f);
		return;
	}
	r->c->files = files;
	files[r->c->nfiles++] = name;
	r->file = name;
	r->line = 0;
	while (getline(&text, &size, f) > 0) {
		r->line++;
		line(r, text, depth);
	}
	if (ferror(f))
		error(r, name, r->line, "%s", strerror(errno));
	free(text);
	fclose(f);
	r->file = outer;
	r->line = outer_line;
}

/*
 * The keys an address is checked under: the IPv4 side (with its length),
 * the IPv6 side (with its length), and for map66 mappings the global and
 * the internal address, which share one space of their own.
 */
enum { KEY_V4, KEY_V6, KEY_GLOBAL, KEY_INTERNAL };

struct key {
	unsigned char a[16];
	uint8_t len;
};

static struct key key_of(const struct mapping *x, int which)
{
	struct key k;

	memset(&k, 0, sizeof(k));
	switch (which) {
	case KEY_V4:
		memcpy(k.a, &x->v4, sizeof(x->v4));
		k.len = x->len4;
		break;
	case KEY_V6:
	case KEY_GLOBAL:
		memcpy(k.a, &x->v6, sizeof(x->v6));
		k.len = which == KEY_V6 ? x->len6 : 128;
		break;
	default:
		memcpy(k.a, &x->internal, sizeof(x->internal));
		k.len = 128;
	}
	return k;
}

/*
 * The key's 16 bytes as two words, mixed (splitmix64's finalizer): a few
 * instructions a key, and the check must stay linear in the table.
 */
static size_t key_hash(const struct key *k)
{
	uint64_t a, b, h;

	memcpy(&a, k->a, sizeof(a));
	memcpy(&b, k->a + sizeof(a), sizeof(b));
	h = a ^ (b * 0x9e3779b97f4a7c15ull) ^ k->len;
	h = (h ^ (h >> 30)) * 0xbf58476d1ce4e5b9ull;
	h = (h ^ (h >> 27)) * 0x94d049bb133111ebull;
	return h ^ (h >> 31);
}

/* The mapping at position @pos of check_duplicates()'s walk, and its key. */
static struct mapping *walk_at(const struct maps *m, size_t pos, int which,
			       int which2, struct key *k)
{
	size_t keys = which2 < 0 ? 1 : 2;
	struct mapping *x = &m->v[pos / keys];

	*k = key_of(x, pos % keys ? which2 : which);
	return x;
}

/*
 * Each address (or block) in one mapping only: the keys @which of the
 * mappings of @m, and their keys @which2 too (-1: none; the two share one
 * space), in file order, in one open-addressing index (a slot holds 1 +
 * the position of the first key): a million mappings are checked in one
 * pass. A clash is reported at the later line.
 */
static void check_duplicates(struct reader *r, const struct maps *m,
			     int which, int which2)
{
	size_t n = m->n * (which2 < 0 ? 1 : 2), cap = 2, i, h;
	const struct mapping *first = NULL;
	char a[INET6_ADDRSTRLEN + 4];
	struct mapping *x;
	struct key k, kf;
	uint32_t *slot;

	while (cap < 2 * n)
		cap <<= 1;
	slot = calloc(cap, sizeof(*slot));
	if (!slot)
		return error(r, r->c->files[0], 0, "%s", strerror(ENOMEM));
	for (i = 0; i < n; i++) {
		x = walk_at(m, i, which, which2, &k);
		for (h = key_hash(&k) & (cap - 1);
		     slot[h]; h = (h + 1) & (cap - 1)) {
			first = walk_at(m, slot[h] - 1, which, which2, &kf);
			if (!memcmp(&kf, &k, sizeof(k)))
				break;
		}
		if (!slot[h]) {
			slot[h] = i + 1;
		} else {
			error(r, x->file, x->line, "%s is already mapped at %s:%u",
			      block_str(which == KEY_V4 ? AF_INET : AF_INET6,
					k.a, k.len, a, sizeof(a)),
			      first->file, first->line);
			x->dup = true;
		}
	}
	free(slot);
}

int conf_read(const char *path, struct conf *c)
{
	struct reader r = { .c = c };

	memset(c, 0, sizeof(*c));
	read_file(&r, path, 0);
	check_duplicates(&r, &c->maps, KEY_V4, -1);
	check_duplicates(&r, &c->maps, KEY_V6, -1);
	check_duplicates(&r, &c->maps66, KEY_GLOBAL, KEY_INTERNAL);
	if (r.errors > MAX_ERRORS)
		failed("%s: %d errors, the first %d shown", path, r.errors,
		       MAX_ERRORS);
	if (r.errors)
		failed("%s: not applied", path);
	return r.errors ? -1 : 0;
}

int conf_add_statement(struct conf *c, const char *origin, unsigned int lineno,
		       const char *text)
{
	struct reader r = { .c = c, .file = origin, .line = lineno };
	char buf[256];

	if (strlen(text) >= sizeof(buf)) {
		error(&r, origin, lineno, "statement too long");
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", text);
	/* as deep as includes go: no include from here */
	line(&r, buf, MAX_DEPTH);
	return r.errors ? -1 : 0;
}

int conf_add_setting(struct conf *c, const char *origin, unsigned int lineno,
		     const char *key, const char *val)
{
	struct reader r = { .c = c, .file = origin, .line = lineno };

	setting(&r, key, val);
	return r.errors ? -1 : 0;
}

size_t conf_drop_duplicates(struct conf *c)
{
	struct reader r = { .c = c };
	size_t i, k, n = 0;

	check_duplicates(&r, &c->maps, KEY_V4, -1);
	check_duplicates(&r, &c->maps, KEY_V6, -1);
	check_duplicates(&r, &c->maps66, KEY_GLOBAL, KEY_INTERNAL);
	for (i = 0; i < c->maps.n; i++)
		if (!c->maps.v[i].dup)
			c->maps.v[n++] = c->maps.v[i];
	i = c->maps.n - n;
	c->maps.n = n;
	for (n = 0, k = 0; k < c->maps66.n; k++)
		if (!c->maps66.v[k].dup)
			c->maps66.v[n++] = c->maps66.v[k];
	i += c->maps66.n - n;
	c->maps66.n = n;
	return i;
}

void conf_free(struct conf *c)
{
	size_t i;

	for (i = 0; i < c->nfiles; i++)
		free(c->files[i]);
	free(c->files);
	free(c->maps.v);
	free(c->maps66.v);
	free(c->set);
	free(c->routes);
	memset(c, 0, sizeof(*c));
}
