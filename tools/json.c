// SPDX-License-Identifier: GPL-2.0
/*
 * A minimal JSON writer for the -j output of the show commands: compact,
 * one document per command, ended by a newline.
 */

#include <inttypes.h>
#include <stdio.h>

#include "map646ctl.h"

#define DEPTH	8

static int depth;
static bool need_comma[DEPTH];
static FILE *out;

void json_stream(FILE *f)
{
	out = f;
}

static FILE *stream(void)
{
	return out ?: stdout;
}

static void str(const char *s)
{
	fputc('"', stream());
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(stream(), "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(stream(), "\\u%04x", *s);
		else
			fputc(*s, stream());
	}
	fputc('"', stream());
}

/* Comma and key before a value; @key is NULL inside arrays. */
static void head(const char *key)
{
	if (depth && need_comma[depth - 1])
		fputc(',', stream());
	if (depth)
		need_comma[depth - 1] = true;
	if (key) {
		str(key);
		fputc(':', stream());
	}
}

void json_begin(char open, const char *key)
{
	head(key);
	fputc(open, stream());
	if (depth < DEPTH)
		need_comma[depth] = false;
	depth++;
}

void json_end(char close)
{
	fputc(close, stream());
	if (--depth == 0)
		fputc('\n', stream());
}

void json_str(const char *key, const char *val)
{
	head(key);
	str(val);
}

void json_u64(const char *key, uint64_t val)
{
	head(key);
	fprintf(stream(), "%" PRIu64, val);
}

void json_null(const char *key)
{
	head(key);
	fputs("null", stream());
}
