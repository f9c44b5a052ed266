// SPDX-License-Identifier: GPL-2.0
/*
 * etcd's v3 API through its JSON gateway: requests are JSON documents
 * POSTed with libcurl, answers parsed by json-c, keys and values base64
 * (glibc's b64_ntop/b64_pton). A watch is one long POST whose answer is a
 * stream of JSON documents, parsed as they arrive.
 */

#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <resolv.h>
#include <curl/curl.h>
#include <json-c/json.h>

#include "etcd.h"

#define CONNECT_TIMEOUT_MS	2000L
#define REQUEST_TIMEOUT_MS	10000L
#define KEEPALIVE_IDLE_S	5L	/* a silent member is probed after... */
#define KEEPALIVE_INTERVAL_S	2L	/* ... and then this often */
#define PAGE_SIZE		10000	/* keys per range request */

struct etcd {
	char **url;		/* the endpoints, without a trailing slash */
	size_t n, cur;		/* how many; the one in use */
	struct etcd_opts opts;
	CURL *curl;		/* for requests; a watch has its own */
	struct curl_slist *headers;
	char err[512];
};

/* An answer being received. */
struct buf {
	char *p;
	size_t len, size;
};

static void set_error(struct etcd *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void set_error(struct etcd *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(e->err, sizeof(e->err), fmt, ap);
	va_end(ap);
}

const char *etcd_error(const struct etcd *e)
{
	return e->err;
}

const char *etcd_endpoint(const struct etcd *e)
{
	return e->url[e->cur];
}

static int split_endpoints(struct etcd *e, const char *list)
{
	char *copy = strdup(list), *save = NULL, *w, **v;
	size_t len;

	if (!copy)
		return -1;
	for (w = strtok_r(copy, ", ", &save); w; w = strtok_r(NULL, ", ", &save)) {
		if (strncmp(w, "http://", 7) && strncmp(w, "https://", 8)) {
			warnx("etcd endpoint '%s' is not an http:// or https:// URL", w);
			free(copy);
			return -1;
		}
		v = reallocarray(e->url, e->n + 1, sizeof(*v));
		if (v)
			e->url = v;
		if (!v || !(v[e->n] = strdup(w))) {
			free(copy);
			return -1;
		}
		len = strlen(w);
		while (len && v[e->n][len - 1] == '/')
			v[e->n][--len] = '\0';
		e->n++;
	}
	free(copy);
	if (!e->n)
		warnx("no etcd endpoint");
	return e->n ? 0 : -1;
}

struct etcd *etcd_open(const struct etcd_opts *opts)
{
	struct etcd *e = calloc(1, sizeof(*e));

	if (!e)
		return NULL;
	e->opts = *opts;
	if (curl_global_init(CURL_GLOBAL_DEFAULT) || split_endpoints(e, opts->endpoints)) {
		etcd_close(e);
		return NULL;
	}
	e->headers = curl_slist_append(NULL, "Content-Type: application/json");
	/* a member that loses its leader cancels the watch (clientv3's WithRequireLeader) */
	if (e->headers)
		e->headers = curl_slist_append(e->headers, "Grpc-Metadata-hasleader: true");
	e->curl = curl_easy_init();
	if (!e->headers || !e->curl) {
		warnx("cannot set up libcurl");
		etcd_close(e);
		return NULL;
	}
	return e;
}

void etcd_close(struct etcd *e)
{
	size_t i;

	if (!e)
		return;
	if (e->curl)
		curl_easy_cleanup(e->curl);
	curl_slist_free_all(e->headers);
	for (i = 0; i < e->n; i++)
		free(e->url[i]);
	free(e->url);
	free(e);
}

/* The options every request to @e's members carries. */
static void setup(struct etcd *e, CURL *c, const char *path, const char *body)
{
	char url[1024];

	snprintf(url, sizeof(url), "%s%s", e->url[e->cur], path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, e->headers);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPIDLE, KEEPALIVE_IDLE_S);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPINTVL, KEEPALIVE_INTERVAL_S);
	if (e->opts.cacert)
		curl_easy_setopt(c, CURLOPT_CAINFO, e->opts.cacert);
	if (e->opts.cert)
		curl_easy_setopt(c, CURLOPT_SSLCERT, e->opts.cert);
	if (e->opts.key)
		curl_easy_setopt(c, CURLOPT_SSLKEY, e->opts.key);
}

/* The next endpoint, after a failure of the current one. */
static void next_endpoint(struct etcd *e)
{
	e->cur = (e->cur + 1) % e->n;
}

static size_t collect(char *p, size_t size, size_t nmemb, void *data)
{
	struct buf *b = data;
	size_t len = size * nmemb;
	char *q;

	if (b->len + len + 1 > b->size) {
		q = realloc(b->p, 2 * (b->len + len) + 1);
		if (!q)
			return 0;
		b->p = q;
		b->size = 2 * (b->len + len) + 1;
	}
	memcpy(b->p + b->len, p, len);
	b->len += len;
	b->p[b->len] = '\0';
	return len;
}

/* The message of an error answer ({"error": ..., "message": ...}), or NULL. */
static const char *answer_error(struct json_object *o)
{
	struct json_object *m;

	if (json_object_object_get_ex(o, "message", &m) ||
	    json_object_object_get_ex(o, "error", &m))
		return json_object_is_type(m, json_type_string) ?
		       json_object_get_string(m) :
		       json_object_to_json_string(m);
	return NULL;
}

/*
 * POST @body to @path on a member; the next member after a failure to
 * reach one or an answer it could not give (HTTP 5xx: no leader, timeout).
 * The answer, or NULL (etcd_error() says why).
 */
static struct json_object *post(struct etcd *e, const char *path,
				struct json_object *body)
{
	const char *text = json_object_to_json_string_ext(body, JSON_C_TO_STRING_PLAIN);
	char curl_err[CURL_ERROR_SIZE];
	struct json_object *o;
	struct buf b = { 0 };
	const char *why;
	size_t tries;
	long http;
	CURLcode rc;

	for (tries = 0; tries < e->n; tries++, next_endpoint(e)) {
		b.len = 0;
		curl_err[0] = '\0';
		curl_easy_reset(e->curl);
		setup(e, e->curl, path, text);
		curl_easy_setopt(e->curl, CURLOPT_TIMEOUT_MS, REQUEST_TIMEOUT_MS);
		curl_easy_setopt(e->curl, CURLOPT_WRITEFUNCTION, collect);
		curl_easy_setopt(e->curl, CURLOPT_WRITEDATA, &b);
		curl_easy_setopt(e->curl, CURLOPT_ERRORBUFFER, curl_err);
		rc = curl_easy_perform(e->curl);
		if (rc != CURLE_OK) {
			set_error(e, "%s: %s", e->url[e->cur],
				  curl_err[0] ? curl_err : curl_easy_strerror(rc));
			continue;
		}
		curl_easy_getinfo(e->curl, CURLINFO_RESPONSE_CODE, &http);
		o = b.len ? json_tokener_parse(b.p) : NULL;
		if (!o) {
			set_error(e, "%s: HTTP %ld, not a JSON answer", e->url[e->cur], http);
			if (http >= 500)
				continue;
			break;
		}
		why = http == 200 ? NULL : answer_error(o);
		if (http != 200) {
			set_error(e, "%s: HTTP %ld: %s", e->url[e->cur], http,
				  why ?: "error");
			json_object_put(o);
			if (http >= 500)
				continue;
			break;
		}
		free(b.p);
		return o;
	}
	free(b.p);
	return NULL;
}

/* Base64 of @len bytes at @p, as a new JSON string. */
static struct json_object *b64(const void *p, size_t len)
{
	size_t size = (len + 2) / 3 * 4 + 1;
	struct json_object *o;
	char *s = malloc(size);

	if (!s || b64_ntop(p, len, s, size) < 0) {
		free(s);
		return NULL;
	}
	o = json_object_new_string(s);
	free(s);
	return o;
}

/* The decoded base64 string member @name of @o ("" if absent), or NULL. */
static char *unb64(struct json_object *o, const char *name)
{
	struct json_object *m;
	const char *s = "";
	char *out;
	int len;

	if (json_object_object_get_ex(o, name, &m))
		s = json_object_get_string(m);
	out = malloc(strlen(s) / 4 * 3 + 4);
	if (!out)
		return NULL;
	len = *s ? b64_pton(s, (unsigned char *)out, strlen(s) / 4 * 3 + 3) : 0;
	if (len < 0) {
		free(out);
		return NULL;
	}
	out[len] = '\0';
	return out;
}

static int64_t get_int64(struct json_object *o, const char *name)
{
	struct json_object *m;

	/* json-c reads int64 from the gateway's strings too */
	return json_object_object_get_ex(o, name, &m) ? json_object_get_int64(m) : 0;
}

static bool get_bool(struct json_object *o, const char *name)
{
	struct json_object *m;

	return json_object_object_get_ex(o, name, &m) && json_object_get_boolean(m);
}

static int64_t header_revision(struct json_object *o)
{
	struct json_object *h;

	return json_object_object_get_ex(o, "header", &h) ? get_int64(h, "revision") : 0;
}

/* The end of the key range of @prefix: its last byte + 1 (etcd's rule). */
static size_t range_end(const char *prefix, char *end, size_t size)
{
	size_t len = strlen(prefix);

	snprintf(end, size, "%s", prefix);
	while (len && (unsigned char)end[len - 1] == 0xff)
		len--;
	if (len)
		end[len - 1]++;
	return len;
}

/* Add "key" and "range_end" of @prefix (or the one key @key) to @o. */
static int put_range(struct json_object *o, const char *key, size_t key_len,
		     const char *prefix)
{
	struct json_object *k = b64(key, key_len), *r = NULL;
	char end[1024];
	size_t len;

	if (prefix) {
		len = range_end(prefix, end, sizeof(end));
		/* an empty end: every key from @key on */
		r = len ? b64(end, len) : json_object_new_string("AA==");
	}
	if (!k || (prefix && !r)) {
		json_object_put(k);
		json_object_put(r);
		return -1;
	}
	json_object_object_add(o, "key", k);
	if (r)
		json_object_object_add(o, "range_end", r);
	return 0;
}

/* A kv object of an answer as struct etcd_kv; its strings are malloc'd. */
static int decode_kv(struct json_object *o, struct etcd_kv *kv)
{
	char *key = unb64(o, "key"), *value = unb64(o, "value");

	if (!key || !value) {
		free(key);
		free(value);
		return -1;
	}
	kv->key = key;
	kv->value = value;
	kv->mod_revision = get_int64(o, "mod_revision");
	return 0;
}

static void free_kv(struct etcd_kv *kv)
{
	free((char *)kv->key);
	free((char *)kv->value);
}

/* One page of a range: @cb for each key; *@last: the last key seen. */
static int range_page(struct etcd *e, struct json_object *kvs, etcd_kv_cb cb,
		      void *data, char **last)
{
	struct etcd_kv kv = { 0 };
	size_t i, n = json_object_array_length(kvs);
	int ret;

	for (i = 0; i < n; i++) {
		if (decode_kv(json_object_array_get_idx(kvs, i), &kv)) {
			set_error(e, "%s: malformed key or value in a range answer",
				  e->url[e->cur]);
			return -1;
		}
		ret = cb(&kv, data);
		if (ret) {
			free_kv(&kv);
			return ret;
		}
		free(*last);
		*last = (char *)kv.key;
		free((char *)kv.value);
	}
	return 0;
}

int etcd_get_prefix(struct etcd *e, const char *prefix, int64_t *revision,
		    etcd_kv_cb cb, void *data)
{
	struct json_object *req, *ans, *kvs;
	char *last = NULL, *from;
	bool more = true;
	int ret = 0;

	*revision = 0;
	while (!ret && more) {
		req = json_object_new_object();
		from = last ? last : (char *)prefix;
		/* the next page starts just after the last key: key + "\0" */
		if (!req || put_range(req, from, strlen(from) + !!last, prefix)) {
			json_object_put(req);
			set_error(e, "out of memory");
			ret = -1;
			break;
		}
		json_object_object_add(req, "limit", json_object_new_int64(PAGE_SIZE));
		if (*revision)
			json_object_object_add(req, "revision",
					       json_object_new_int64(*revision));
		ans = post(e, "/v3/kv/range", req);
		json_object_put(req);
		if (!ans) {
			ret = -1;
			break;
		}
		if (!*revision)
			*revision = header_revision(ans);
		more = get_bool(ans, "more");
		if (json_object_object_get_ex(ans, "kvs", &kvs) &&
		    json_object_is_type(kvs, json_type_array))
			ret = range_page(e, kvs, cb, data, &last);
		else
			more = false;
		json_object_put(ans);
	}
	free(last);
	return ret;
}

/* A watch being received. */
struct watch {
	struct etcd *e;
	json_tokener *tok;
	etcd_events_cb cb;
	void *data;
	int ret;
};

/* The events of one watch answer, to the callback. */
static int watch_events(struct watch *w, struct json_object *evs, int64_t rev)
{
	size_t i, n = json_object_array_length(evs);
	struct etcd_kv *v = calloc(n + 1, sizeof(*v));
	struct json_object *ev, *kv, *type;
	int ret = 0;

	if (!v) {
		set_error(w->e, "out of memory");
		return -1;
	}
	for (i = 0; i < n && !ret; i++) {
		ev = json_object_array_get_idx(evs, i);
		if (!json_object_object_get_ex(ev, "kv", &kv) || decode_kv(kv, &v[i])) {
			set_error(w->e, "%s: malformed watch event", w->e->url[w->e->cur]);
			ret = -1;
			break;
		}
		/* a PUT is the default value: the gateway leaves it out */
		v[i].deleted = json_object_object_get_ex(ev, "type", &type) &&
			       !strcmp(json_object_get_string(type), "DELETE");
	}
	if (!ret)
		ret = w->cb(v, n, rev, w->data);
	while (i--)
		free_kv(&v[i]);
	free(v);
	return ret;
}

/* One JSON document of the watch stream: 0 to go on, else why to stop. */
static int watch_answer(struct watch *w, struct json_object *o)
{
	struct json_object *res, *evs;
	const char *why;

	if (!json_object_object_get_ex(o, "result", &res)) {
		why = answer_error(o);
		set_error(w->e, "%s: watch: %s", w->e->url[w->e->cur],
			  why ?: "an answer without a result");
		return -1;
	}
	if (get_bool(res, "canceled")) {
		if (get_int64(res, "compact_revision") > 0) {
			set_error(w->e, "%s: watch: revision compacted (now from %lld)",
				  w->e->url[w->e->cur],
				  (long long)get_int64(res, "compact_revision"));
			return ETCD_COMPACTED;
		}
		why = json_object_object_get_ex(res, "cancel_reason", &evs) ?
		      json_object_get_string(evs) : "canceled";
		set_error(w->e, "%s: watch: %s", w->e->url[w->e->cur], why);
		return -1;
	}
	if (json_object_object_get_ex(res, "events", &evs) &&
	    json_object_is_type(evs, json_type_array) &&
	    json_object_array_length(evs))
		return watch_events(w, evs, header_revision(res));
	return 0;
}

/* libcurl hands over the stream in pieces: feed them to the tokener. */
static size_t watch_write(char *p, size_t size, size_t nmemb, void *data)
{
	struct watch *w = data;
	size_t len = size * nmemb, off = 0;
	struct json_object *o;

	while (off < len) {
		o = json_tokener_parse_ex(w->tok, p + off, len - off);
		if (!o) {
			if (json_tokener_get_error(w->tok) == json_tokener_continue)
				return len;
			set_error(w->e, "%s: watch: %s", w->e->url[w->e->cur],
				  json_tokener_error_desc(json_tokener_get_error(w->tok)));
			w->ret = -1;
			return 0;
		}
		off += json_tokener_get_parse_end(w->tok);
		json_tokener_reset(w->tok);
		w->ret = watch_answer(w, o);
		json_object_put(o);
		if (w->ret)
			return 0;	/* stops the transfer */
	}
	return len;
}

int etcd_watch_prefix(struct etcd *e, const char *prefix, int64_t start,
		      etcd_events_cb cb, void *data)
{
	struct watch w = { .e = e, .cb = cb, .data = data };
	struct json_object *req, *create;
	char curl_err[CURL_ERROR_SIZE] = "";
	CURL *c = curl_easy_init();
	long http = 0;
	CURLcode rc;

	req = json_object_new_object();
	create = json_object_new_object();
	w.tok = json_tokener_new();
	if (!c || !req || !create || !w.tok || put_range(create, prefix, strlen(prefix), prefix)) {
		set_error(e, "out of memory");
		json_object_put(create);
		w.ret = -1;
		goto out;
	}
	json_object_object_add(create, "start_revision", json_object_new_int64(start));
	json_object_object_add(req, "create_request", create);
	setup(e, c, "/v3/watch", json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN));
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, watch_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &w);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, curl_err);
	rc = curl_easy_perform(c);
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &http);
	if (w.ret)
		goto out;
	w.ret = -1;
	if (rc != CURLE_OK)
		set_error(e, "%s: watch: %s", e->url[e->cur],
			  curl_err[0] ? curl_err : curl_easy_strerror(rc));
	else
		set_error(e, "%s: watch: the stream ended (HTTP %ld)", e->url[e->cur], http);
	/* the next attempt goes to another member */
	next_endpoint(e);
out:
	if (w.tok)
		json_tokener_free(w.tok);
	json_object_put(req);
	if (c)
		curl_easy_cleanup(c);
	return w.ret;
}

/* {"request_put": {"key", "value"}} or {"request_delete_range": {"key"}} */
static struct json_object *txn_op(const struct etcd_op *op)
{
	struct json_object *o = json_object_new_object();
	struct json_object *r = json_object_new_object();
	struct json_object *v = NULL;

	if (!o || !r || put_range(r, op->key, strlen(op->key), NULL) ||
	    (op->value && !(v = b64(op->value, strlen(op->value))))) {
		json_object_put(o);
		json_object_put(r);
		return NULL;
	}
	if (v)
		json_object_object_add(r, "value", v);
	json_object_object_add(o, op->value ? "request_put" : "request_delete_range", r);
	return o;
}

int etcd_txn(struct etcd *e, const char *prefix, int64_t since,
	     const struct etcd_op *ops, size_t n, int64_t *revision)
{
	struct json_object *req = json_object_new_object();
	struct json_object *cmp = json_object_new_object();
	struct json_object *cmps = json_object_new_array();
	struct json_object *succ = json_object_new_array();
	struct json_object *ans, *op;
	int ret = -1;
	size_t i;

	if (!req || !cmp || !cmps || !succ ||
	    put_range(cmp, prefix, strlen(prefix), prefix))
		goto nomem;
	/* no key of the range modified after @since */
	json_object_object_add(cmp, "target", json_object_new_string("MOD"));
	json_object_object_add(cmp, "result", json_object_new_string("LESS"));
	json_object_object_add(cmp, "mod_revision", json_object_new_int64(since + 1));
	json_object_array_add(cmps, cmp);
	cmp = NULL;
	for (i = 0; i < n; i++) {
		op = txn_op(&ops[i]);
		if (!op)
			goto nomem;
		json_object_array_add(succ, op);
	}
	json_object_object_add(req, "compare", cmps);
	json_object_object_add(req, "success", succ);
	cmps = succ = NULL;
	ans = post(e, "/v3/kv/txn", req);
	if (ans) {
		ret = get_bool(ans, "succeeded") ? 0 : 1;
		*revision = header_revision(ans);
		json_object_put(ans);
	}
	json_object_put(req);
	return ret;
nomem:
	set_error(e, "out of memory");
	json_object_put(req);
	json_object_put(cmp);
	json_object_put(cmps);
	json_object_put(succ);
	return -1;
}
