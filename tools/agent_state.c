// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's state, for operators and monitoring: a file of "key value"
 * lines (/run/map646/agent-DEV.state), replaced atomically on every
 * change, and `map646-agent status DEV`, which prints it and says whether
 * the agent that wrote it still runs.
 */

#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "agent.h"

void state_write(const struct agent *a, const struct agent_state *s)
{
	char tmp[sizeof(a->state_path) + 8];
	FILE *f;

	snprintf(tmp, sizeof(tmp), "%s.tmp", a->state_path);
	f = fopen(tmp, "w");
	if (!f)
		return;
	fprintf(f, "device %s\npid %ld\nstate %s\nsince %lld\nrevision %" PRId64
		"\nmappings %zu\nsettings %zu\nbad_keys %zu\nchanges %lu\n"
		"resyncs %lu\napplied %lld\nerror %s\n",
		a->dev, (long)getpid(), s->state, s->since, s->revision,
		s->mappings, s->settings, s->bad_keys, s->changes, s->resyncs,
		s->applied, s->error[0] ? s->error : "-");
	if (fclose(f) || rename(tmp, a->state_path))
		unlink(tmp);
}

void state_enter(const struct agent *a, struct agent_state *s,
		 const char *state, const char *error)
{
	if (strcmp(s->state, state)) {
		s->since = time(NULL);
		agent_log(a, "%s%s%s", state, error ? ": " : "", error ?: "");
	}
	s->state = state;
	snprintf(s->error, sizeof(s->error), "%s", error ?: "");
	state_write(a, s);
}

/* Is the agent of pid line @val alive? */
static int alive(const char *val)
{
	long pid = strtol(val, NULL, 10);

	return pid > 0 && (!kill(pid, 0) || errno == EPERM);
}

int agent_status(const struct agent *a)
{
	char *line = NULL, key[32];
	bool running = false, synced = false;
	size_t size = 0;
	int val;
	FILE *f;

	f = fopen(a->state_path, "r");
	if (!f) {
		printf("device %s\nstate stopped\nerror %s: %s\n", a->dev,
		       a->state_path, strerror(errno));
		return 1;
	}
	while (getline(&line, &size, f) > 0) {
		if (sscanf(line, "%31s %n", key, &val) < 1)
			continue;
		if (!strcmp(key, "pid"))
			running = alive(line + val);
		if (!strcmp(key, "state") && !running) {
			line[strcspn(line, "\n")] = '\0';
			printf("state stopped (was %s)\n", line + val);
			continue;
		}
		if (!strcmp(key, "state"))
			synced = !strncmp(line + val, "synced", 6);
		fputs(line, stdout);
	}
	free(line);
	fclose(f);
	return running && synced ? 0 : 1;
}
