// SPDX-License-Identifier: GPL-2.0
/*
 * map646-agent: keep a map646 device's table and settings equal to a key
 * prefix in etcd (run), show how it does (status), and the controller's
 * side: write a config file into etcd in one transaction (push), compare
 * etcd with the device (diff). See map646-agent(8).
 */

#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "agent.h"

#define DEFAULT_ENDPOINTS	"http://127.0.0.1:2379"
#define STATE_DIR		"/run/map646"

void agent_log(const struct agent *a, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "map646-agent %s: ", a->dev);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void usage(FILE *f)
{
	fprintf(f, "Usage: map646-agent [OPTIONS] run DEV\n"
		   "       map646-agent [OPTIONS] status DEV\n"
		   "       map646-agent [OPTIONS] push DEV FILE\n"
		   "       map646-agent [OPTIONS] diff DEV\n"
		   "       map646-agent -V|--version\n\n"
		   "  run     keep device DEV equal to its keys in etcd\n"
		   "  status  the state of DEV's agent (exit 0: running and in sync)\n"
		   "  push    make DEV's keys in etcd FILE's content, in one transaction\n"
		   "  diff    compare etcd with the device (exit 1: they differ)\n\n"
		   "Options (and the environment variables they override):\n"
		   "  -e, --endpoints URL[,URL...]  MAP646_ETCD_ENDPOINTS (" DEFAULT_ENDPOINTS ")\n"
		   "      --cacert FILE             MAP646_ETCD_CACERT: CA to verify etcd with\n"
		   "      --cert FILE               MAP646_ETCD_CERT: client certificate\n"
		   "      --key FILE                MAP646_ETCD_KEY: its private key\n"
		   "  -p, --prefix KEY              MAP646_ETCD_PREFIX (/map646/DEV/)\n"
		   "  -s, --state FILE              the state file (" STATE_DIR "/agent-DEV.state)\n"
		   "See map646-agent(8).\n");
}

static const char *env(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

int main(int argc, char **argv)
{
	enum { OPT_CACERT = 256, OPT_CERT, OPT_KEY };
	static const struct option options[] = {
		{ "endpoints", required_argument, NULL, 'e' },
		{ "cacert", required_argument, NULL, OPT_CACERT },
		{ "cert", required_argument, NULL, OPT_CERT },
		{ "key", required_argument, NULL, OPT_KEY },
		{ "prefix", required_argument, NULL, 'p' },
		{ "state", required_argument, NULL, 's' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *prefix = env("MAP646_ETCD_PREFIX"), *state = NULL, *cmd;
	struct agent a = { .etcd = {
		.endpoints = env("MAP646_ETCD_ENDPOINTS") ?: DEFAULT_ENDPOINTS,
		.cacert = env("MAP646_ETCD_CACERT"),
		.cert = env("MAP646_ETCD_CERT"),
		.key = env("MAP646_ETCD_KEY"),
	} };
	int opt, want;

	while ((opt = getopt_long(argc, argv, "+e:p:s:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'e':
			a.etcd.endpoints = optarg;
			break;
		case OPT_CACERT:
			a.etcd.cacert = optarg;
			break;
		case OPT_CERT:
			a.etcd.cert = optarg;
			break;
		case OPT_KEY:
			a.etcd.key = optarg;
			break;
		case 'p':
			prefix = optarg;
			break;
		case 's':
			state = optarg;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			puts("map646-agent " MAP646_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind + 2 > argc) {
		usage(stderr);
		return 2;
	}
	cmd = argv[optind];
	a.dev = argv[optind + 1];
	want = !strcmp(cmd, "push") ? 3 : 2;
	if (argc - optind != want || strlen(a.dev) >= IFNAMSIZ || !*a.dev) {
		usage(stderr);
		return 2;
	}
	if (prefix)
		snprintf(a.prefix, sizeof(a.prefix), "%s", prefix);
	else
		snprintf(a.prefix, sizeof(a.prefix), "/map646/%s/", a.dev);
	if (state)
		snprintf(a.state_path, sizeof(a.state_path), "%s", state);
	else
		snprintf(a.state_path, sizeof(a.state_path),
			 STATE_DIR "/agent-%s.state", a.dev);

	if (!strcmp(cmd, "run"))
		return agent_run(&a);
	if (!strcmp(cmd, "status"))
		return agent_status(&a);
	if (!strcmp(cmd, "push"))
		return agent_push(&a, argv[optind + 2]);
	if (!strcmp(cmd, "diff"))
		return agent_diff(&a);
	fprintf(stderr, "map646-agent: unknown command '%s'\n", cmd);
	usage(stderr);
	return 2;
}
