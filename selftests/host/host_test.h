/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the host unit tests share: KTAP cases, and checksums computed
 * independently of the code under test (byte-wise RFC 1071).
 */
#ifndef _MAP646_HOST_TEST_H
#define _MAP646_HOST_TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

static int tests, failures;
static bool case_ok;

#define EXPECT(cond) do {						\
	if (!(cond)) {							\
		printf("# %s:%d: expected %s\n", __FILE__, __LINE__, #cond); \
		case_ok = false;					\
	}								\
} while (0)

static void run(const char *name, void (*fn)(void))
{
	case_ok = true;
	fn();
	tests++;
	if (!case_ok)
		failures++;
	printf("%sok %d %s\n", case_ok ? "" : "not ", tests, name);
}

/* RFC 1071, big-endian words, independent of the code under test. */
static inline uint32_t ref_sum(const uint8_t *p, size_t len, uint32_t sum)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (p[i] << 8) | p[i + 1];
	if (len & 1)
		sum += p[len - 1] << 8;
	return sum;
}

static inline uint16_t ref_fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return ~sum & 0xffff;
}

/* Pseudo-header sum: addresses, upper-layer length, protocol. */
static inline uint32_t ref_pseudo(const void *saddr, const void *daddr, size_t alen,
			   size_t l4len, uint8_t proto)
{
	uint32_t sum = ref_sum(saddr, alen, 0);

	sum = ref_sum(daddr, alen, sum);
	return sum + (l4len >> 16) + (l4len & 0xffff) + proto;
}

#endif /* _MAP646_HOST_TEST_H */
