// SPDX-License-Identifier: GPL-2.0
/*
 * map646ctl: configure map646 translator devices over generic netlink.
 */

#include <err.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <net/if.h>

#include "map646ctl.h"
#include "nl.h"

static int cmd_help(int argc, char **argv);

static const struct command {
	const char *name;	/* one word, or two for a subcommand */
	int (*handler)(int argc, char **argv);
	const char *args;
	const char *help;
} commands[] = {
	{ "add",	 cmd_map_add,	  "IPV4 IPV6",	"map IPV4 to IPV6" },
	{ "del",	 cmd_map_del,	  "IPV4|IPV6",
	  "delete the mapping holding this address" },
	{ "show",	 cmd_map_show,	  "",
	  "list the mappings, one \"IPV4 IPV6\" per line" },
	{ "flush",	 cmd_map_flush,	  "",
	  "delete every mapping" },
	{ "prefix set",	 cmd_prefix_set,  "PREFIX/LEN|none",
	  "set (none: remove) the translation prefix" },
	{ "prefix show", cmd_prefix_show, "",
	  "print the translation prefix, or none" },
	{ "settings set", cmd_settings_set, "KEY VALUE...",
	  "change settings: prefix PREFIX/LEN|none, lowest-ipv6-mtu N,\n"
	  "                              udp-zero-checksum drop|compute, tos copy|zero,\n"
	  "                              icmp-errors on|off, pool4 A.B.C.D/LEN|none" },
	{ "settings show", cmd_settings_show, "",
	  "print every setting, one \"key value\" per line" },
	{ "stats",	 cmd_stats,	  "[show]",
	  "print the counters, one \"name value\" per line" },
	{ "help",	 cmd_help,	  "",		"print this help" },
};

static void synopsis(const struct command *cmd, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s", cmd->name, *cmd->args ? " " : "",
		 cmd->args);
}

static void print_help(FILE *f)
{
	char syn[64];
	unsigned int i;

	fprintf(f, "Usage: map646ctl [-d DEV] COMMAND [ARGS]\n"
		   "       map646ctl -V|--version\n\n"
		   "Commands:\n");
	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		synopsis(&commands[i], syn, sizeof(syn));
		fprintf(f, "  %-26s  %s\n", syn, commands[i].help);
	}
	fprintf(f, "\nPREFIX/LEN: e.g. 64:ff9b::/96, LEN one of 32 40 48 56 64 96.\n"
		   "-d DEV names the device; by default, the only map646 device.\n");
}

static int cmd_help(int argc, char **argv)
{
	if (argc)
		return bad_argc(argc, argv, 0);
	print_help(stdout);
	return 0;
}

int bad_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	return CMD_USAGE;
}

int bad_argc(int argc, char **argv, int want)
{
	if (argc < want)
		return bad_usage("missing argument");
	return bad_usage("unexpected argument '%s'", argv[want]);
}

/* How many words of @argv make up command @name: 0 if they do not. */
static int match(const char *name, int argc, char **argv)
{
	size_t len = strlen(argv[0]);

	if (strncmp(name, argv[0], len))
		return 0;
	if (!name[len])
		return 1;
	if (name[len] == ' ' && argc > 1 && !strcmp(name + len + 1, argv[1]))
		return 2;
	return 0;
}

static const struct command *find_command(int argc, char **argv, int *words)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++) {
		*words = match(commands[i].name, argc, argv);
		if (*words)
			return &commands[i];
	}
	return NULL;
}

/* Is @word the first of a two-word command, like "prefix"? */
static bool is_group(const char *word)
{
	size_t len = strlen(word);
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(commands); i++)
		if (!strncmp(commands[i].name, word, len) &&
		    commands[i].name[len] == ' ')
			return true;
	return false;
}

static void unknown_command(int argc, char **argv)
{
	if (!is_group(argv[0]))
		warnx("unknown command '%s'", argv[0]);
	else if (argc < 2)
		warnx("'%s' needs a subcommand", argv[0]);
	else
		warnx("unknown command '%s %s'", argv[0], argv[1]);
	print_help(stderr);
}

static int run(int argc, char **argv)
{
	const struct command *cmd;
	char syn[64];
	int words, ret;

	cmd = find_command(argc, argv, &words);
	if (!cmd) {
		unknown_command(argc, argv);
		return 1;
	}
	ret = cmd->handler(argc - words, argv + words);
	if (ret == CMD_USAGE) {
		synopsis(cmd, syn, sizeof(syn));
		fprintf(stderr, "usage: map646ctl [-d DEV] %s\n", syn);
		return 1;
	}
	if (fflush(stdout) == EOF || ferror(stdout)) {
		warnx("write error on standard output");
		return 1;
	}
	return ret;
}

int main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "device", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	int opt;

	while ((opt = getopt_long(argc, argv, "+d:hV", options, NULL)) != -1) {
		switch (opt) {
		case 'd':
			if (!*optarg || strlen(optarg) >= IFNAMSIZ) {
				warnx("'%s' is not a device name", optarg);
				return 1;
			}
			nl_set_device(optarg);
			break;
		case 'h':
			print_help(stdout);
			return 0;
		case 'V':
			puts("map646ctl " MAP646_VERSION);
			return 0;
		default:
			fprintf(stderr, "Try 'map646ctl help'.\n");
			return 1;
		}
	}
	if (optind == argc) {
		print_help(stderr);
		return 1;
	}
	return run(argc - optind, argv + optind);
}
