// SPDX-License-Identifier: GPL-2.0
/*
 * What the command lines of map646ctl and map646-agent share: the output
 * options and how a command reports a failure or a usage error.
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

static void vfailed(const char *fmt, va_list ap)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), fmt, ap);
	if (ctx_file)
		warnx("%s:%u: %s", ctx_file, ctx_line, msg);
	else
		warnx("%s", msg);
}

void failed(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfailed(fmt, ap);
	va_end(ap);
}

int bad_usage(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfailed(fmt, ap);
	va_end(ap);
	return CMD_USAGE;
}

int bad_argc(int argc, char **argv, int want)
{
	if (argc < want)
		return bad_usage("missing argument");
	return bad_usage("unexpected argument '%s'", argv[want]);
}
