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

static void str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			printf("\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			printf("\\u%04x", *s);
		else
			putchar(*s);
	}
	putchar('"');
}

/* Comma and key before a value; @key is NULL inside arrays. */
static void head(const char *key)
{
	if (depth && need_comma[depth - 1])
		putchar(',');
	if (depth)
		need_comma[depth - 1] = true;
	if (key) {
		str(key);
		putchar(':');
	}
}

void json_begin(char open, const char *key)
{
	head(key);
	putchar(open);
	if (depth < DEPTH)
		need_comma[depth] = false;
	depth++;
}

void json_end(char close)
{
	putchar(close);
	if (--depth == 0)
		putchar('\n');
}

void json_str(const char *key, const char *val)
{
	head(key);
	str(val);
}

void json_u64(const char *key, uint64_t val)
{
	head(key);
	printf("%" PRIu64, val);
}

void json_null(const char *key)
{
	head(key);
	fputs("null", stdout);
}
