// SPDX-License-Identifier: GPL-2.0
/*
 * What the command lines of map646ctl and map646-agent share: the output
 * options and how a command reports a usage error.
 */

#include <err.h>
#include <stdarg.h>
#include <stdio.h>

#include "map646ctl.h"

bool opt_json, opt_stats;

static const char *ctx_file;
static unsigned int ctx_line;

void usage_context(const char *file, unsigned int line)
{
	ctx_file = file;
	ctx_line = line;
}

int bad_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (ctx_file) {
		fprintf(stderr, "%s:%u: ", ctx_file, ctx_line);
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	} else {
		vwarnx(fmt, ap);
	}
	va_end(ap);
	return CMD_USAGE;
}

int bad_argc(int argc, char **argv, int want)
{
	if (argc < want)
		return bad_usage("missing argument");
	return bad_usage("unexpected argument '%s'", argv[want]);
}
