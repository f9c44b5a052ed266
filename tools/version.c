// SPDX-License-Identifier: GPL-2.0
/*
 * -V: the tool's version and the loaded module's, so that a module left
 * loaded across a package upgrade shows.
 */

#include <stdio.h>
#include <string.h>

#include "map646ctl.h"

#define MODULE_VERSION_FILE	"/sys/module/map646/version"

bool module_version(char *buf, size_t size)
{
	FILE *f = fopen(MODULE_VERSION_FILE, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, size, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

int print_versions(void)
{
	char mod[64];

	puts("map646ctl " MAP646_VERSION);
	if (!module_version(mod, sizeof(mod))) {
		puts("map646 module not loaded");
		return 0;
	}
	printf("map646 module %s\n", mod);
	fflush(stdout);		/* the versions before the warning */
	if (strcmp(mod, MAP646_VERSION))
		fprintf(stderr,
			"map646ctl: the loaded module is not this tool's version: reload it (README, \"Upgrading\")\n");
	return 0;
}
