/* SPDX-License-Identifier: GPL-2.0 */
/*
 * map646ctl commands. A handler gets the words after its command name and
 * returns 0, 1 after reporting a failure, or CMD_USAGE from bad_usage():
 * checking arguments comes before any netlink traffic.
 */

#ifndef MAP646CTL_H
#define MAP646CTL_H

#include <stdint.h>
#include <netinet/in.h>

#define CMD_USAGE	2

#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

int bad_usage(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int bad_argc(int argc, char **argv, int want);

int cmd_map_add(int argc, char **argv);
int cmd_map_del(int argc, char **argv);
int cmd_map_show(int argc, char **argv);
int cmd_map_flush(int argc, char **argv);
int cmd_prefix_set(int argc, char **argv);
int cmd_prefix_show(int argc, char **argv);
int cmd_settings_set(int argc, char **argv);
int cmd_settings_show(int argc, char **argv);
int parse_prefix(const char *arg, struct in6_addr *prefix, uint8_t *plen);
int cmd_stats(int argc, char **argv);

#endif /* MAP646CTL_H */
