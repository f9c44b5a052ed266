// SPDX-License-Identifier: GPL-2.0
/*
 * map646ctl: configure map646 translator devices over generic netlink.
 * Grammar in the style of iproute2: map646ctl [OPTIONS] OBJECT COMMAND ARGS;
 * a word may be abbreviated to any prefix, which names the first command
 * of the table below that it starts (as ip(8) does: `m s` is mapping show).
 */

#include <err.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <net/if.h>

#include "map646ctl.h"
#include "nl.h"

#define MAX_ARGS	16	/* words on one line of a batch */

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *obj;
	const char *verb;	/* NULL: a one-word command */
	int (*handler)(int argc, char **argv);
	const char *args;
	const char *help;	/* NULL: a short form, listed apart */
} commands[] = {
	{ "mapping", "add", cmd_map_add, "IPV4[/LEN] IPV6[/LEN]",
	  "map IPV4 to IPV6 (or a block to a block)" },
	{ "mapping", "del", cmd_map_del, "IPV4[/LEN]|IPV6[/LEN]",
	  "delete the mapping of this address (or block)" },
	{ "mapping", "show", cmd_map_show, "[IPV4|IPV6]",
	  "list the mappings (-s: with counters)" },
	{ "mapping", "flush", cmd_map_flush, "",
	  "delete every mapping, map66 ones too" },
	{ "map66", "add", cmd_map66_add, "GLOBAL INTERNAL",
	  "rewrite IPv6 GLOBAL to INTERNAL and back" },
	{ "map66", "del", cmd_map66_del, "GLOBAL|INTERNAL",
	  "delete the map66 mapping of this address" },
	{ "map66", "show", cmd_map66_show, "[ADDRESS]",
	  "list the map66 mappings (-s: with counters)" },
	{ "settings", "show", cmd_settings_show, "",
	  "print the device settings" },
	{ "settings", "set", cmd_settings_set, "KEY VALUE...",
	  "change settings, see below" },
	{ "stats", "show", cmd_stats_show, "",
	  "print the translation and drop counters" },
	{ "stats", "reset", cmd_stats_reset, "",
	  "zero the device and per-mapping counters" },
	{ "stats", "prometheus", cmd_stats_prometheus, "",
	  "counters of every device, Prometheus text format" },
	{ "config", "check", cmd_config_check, "FILE",
	  "read a config file, report errors, apply nothing" },
	{ "config", "routes", cmd_config_routes, "FILE",
	  "print the routes a config file asks for" },
	{ "load", NULL, cmd_load, "FILE",
	  "replace table and settings with FILE's, atomically" },
	{ "sync", NULL, cmd_sync, "FILE",
	  "load FILE, print what changed" },
	{ "save", NULL, cmd_save, "[FILE]",
	  "print the device as a config file, or replace FILE with it" },
	{ "monitor", NULL, cmd_monitor, "",
	  "print table and settings changes as they happen" },
	{ "help", NULL, cmd_help, "[OBJECT]", "print help" },
	/* the short forms of map646ctl 0.1 */
	{ "add", NULL, cmd_map_add, "IPV4 IPV6", NULL },
	{ "del", NULL, cmd_map_del, "IPV4|IPV6", NULL },
	{ "show", NULL, cmd_map_show, "[IPV4|IPV6]", NULL },
	{ "flush", NULL, cmd_map_flush, "", NULL },
	{ "prefix", "show", cmd_prefix_show, "", NULL },
	{ "prefix", "set", cmd_prefix_set, "PREFIX/LEN|none", NULL },
};

/* Other names of "show", as ip(8) has them; prefixes of these too. */
static const char *const show_aliases[] = { "list", "lst", "ls" };

static void synopsis(const struct command *cmd, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s", cmd->obj, cmd->verb ? " " : "",
		 cmd->verb ?: "", *cmd->args ? " " : "", cmd->args);
}

static void print_commands(FILE *f, const char *obj, bool short_forms)
{
	char syn[64];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if ((obj && strcmp(commands[i].obj, obj)) ||
		    !commands[i].help == !short_forms)
			continue;
		synopsis(&commands[i], syn, sizeof(syn));
		fprintf(f, "  %-36s  %s\n", syn,
			commands[i].help ?: "short form");
	}
}

static void print_help(FILE *f)
{
	fprintf(f, "Usage: map646ctl [-d DEV] [-j] [-s] OBJECT COMMAND [ARGS]\n"
		   "       map646ctl [-d DEV] [-j] [-s] -b FILE|-\n"
		   "       map646ctl -V|--version   (the tool's and the loaded module's)\n\n"
		   "Commands:\n");
	print_commands(f, NULL, false);
	fprintf(f, "Short forms: add, del, show, flush, prefix set|show, stats.\n\n"
		   "Options:\n"
		   "  -d DEV    the device (default: the only map646 device)\n"
		   "  -j        JSON output\n"
		   "  -s        with counters (mapping show, stats prometheus)\n"
		   "  -b FILE   run the commands of FILE (- for stdin), one per line\n\n"
		   "Settings (KEY VALUE): prefix PREFIX/LEN|none (LEN one of 32 40 48 56\n"
		   "64 96, e.g. 64:ff9b::/96), lowest-ipv6-mtu N, udp-zero-checksum\n"
		   "drop|compute, tos copy|zero, icmp-errors on|off, path prerouting|device,\n"
		   "pool4 A.B.C.D/LEN|none, pool6 PREFIX/LEN|none.\n"
		   "OBJECT help: the commands of OBJECT. See map646ctl(8), map646.conf(5).\n");
}

static bool is_prefix(const char *word, const char *name)
{
	return *word && !strncmp(name, word, strlen(word));
}

/*
 * The object (@obj NULL) or the command of object @obj that @word names:
 * the first in table order that it is a prefix of, as ip(8) resolves
 * abbreviations; "list", "lst" and "ls" name "show".
 */
static const char *lookup(const char *word, const char *obj)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		if (!obj && is_prefix(word, commands[i].obj))
			return commands[i].obj;
		if (obj && !strcmp(commands[i].obj, obj) && commands[i].verb &&
		    is_prefix(word, commands[i].verb))
			return commands[i].verb;
	}
	for (i = 0; obj && i < ARRAY_SIZE(show_aliases); i++)
		if (is_prefix(word, show_aliases[i]))
			return "show";
	return NULL;
}

static const struct command *find(const char *obj, const char *verb)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strcmp(commands[i].obj, obj) &&
		    (verb ? commands[i].verb && !strcmp(commands[i].verb, verb) :
			    !commands[i].verb))
			return &commands[i];
	return NULL;
}

static int cmd_help(int argc, char **argv)
{
	const char *obj;

	if (argc > 1)
		return bad_argc(argc, argv, 1);
	if (!argc) {
		print_help(stdout);
		return 0;
	}
	obj = lookup(argv[0], NULL);
	if (!obj)
		return bad_usage("unknown object '%s'", argv[0]);
	print_commands(stdout, obj, false);
	print_commands(stdout, obj, true);
	return 0;
}

static int run(int argc, char **argv)
{
	const struct command *cmd;
	const char *obj, *verb;
	char syn[64];
	int words = 1, ret;

	obj = lookup(argv[0], NULL);
	if (!obj) {
		warnx("unknown command '%s'; try 'map646ctl help'", argv[0]);
		return CMD_USAGE;
	}
	cmd = find(obj, NULL);
	if (!cmd) {
		/* an object: its command, "help", or show by default */
		if (argc > 1 && !strcmp(argv[1], "help")) {
			print_commands(stdout, obj, false);
			print_commands(stdout, obj, true);
			return 0;
		}
		verb = argc > 1 ? lookup(argv[1], obj) : "show";
		cmd = verb ? find(obj, verb) : NULL;
		if (!cmd) {
			if (argc > 1)
				warnx("unknown command '%s %s'", obj, argv[1]);
			else
				warnx("'%s' needs a command", obj);
			print_commands(stderr, obj, false);
			return CMD_USAGE;
		}
		words += argc > 1;
	}
	ret = cmd->handler(argc - words, argv + words);
	if (ret == CMD_USAGE) {
		synopsis(cmd, syn, sizeof(syn));
		fprintf(stderr, "usage: map646ctl [-d DEV] %s\n", syn);
		return CMD_USAGE;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnx("write error on standard output");
		return CMD_FAILED;
	}
	return ret;
}

/* -b FILE: one command per line; # starts a comment. Stops at a failure. */
static int batch(const char *path)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "r") : stdin;
	char *line = NULL, *argv[MAX_ARGS + 1], *save;
	unsigned int lineno = 0;
	size_t size = 0;
	int argc, ret = 0;

	if (!f) {
		warn("%s", path);
		return CMD_FAILED;
	}
	while (!ret && getline(&line, &size, f) > 0) {
		lineno++;
		line[strcspn(line, "#\n")] = '\0';
		argc = 0;
		for (argv[0] = strtok_r(line, " \t\r", &save);
		     argv[argc] && argc < MAX_ARGS;
		     argv[argc] = strtok_r(NULL, " \t\r", &save))
			argc++;
		if (!argc)
			continue;
		if (argv[argc]) {
			warnx("%s:%u: more than %d words", path, lineno,
			      MAX_ARGS);
			ret = CMD_USAGE;
		} else {
			ret = run(argc, argv);
			if (ret)
				warnx("%s:%u: command failed, stopping here",
				      strcmp(path, "-") ? path : "stdin",
				      lineno);
		}
	}
	free(line);
	if (f != stdin)
		fclose(f);
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "json", no_argument, NULL, 'j' },
		{ "stats", no_argument, NULL, 's' },
		{ "batch", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *batch_file = NULL;
	int opt;

	while ((opt = getopt_long(argc, argv, "+d:jsb:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (!*optarg || strlen(optarg) >= IFNAMSIZ) {
				warnx("'%s' is not a device name", optarg);
				return CMD_USAGE;
			}
			nl_set_device(optarg);
			break;
		case 'j':
			opt_json = true;
			break;
		case 's':
			opt_stats = true;
			break;
		case 'b':
			batch_file = optarg;
			break;
		case 'h':
			print_help(stdout);
			return 0;
		case 'V':
			return print_versions();
		default:
			fprintf(stderr, "Try 'map646ctl help'.\n");
			return CMD_USAGE;
		}
	}
	if (batch_file) {
		if (optind != argc) {
			warnx("-b takes no command");
			return CMD_USAGE;
		}
		return batch(batch_file);
	}
	if (optind == argc) {
		print_help(stderr);
		return CMD_USAGE;
	}
	return run(argc - optind, argv + optind);
}
