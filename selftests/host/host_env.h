/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Userspace stand-ins for the kernel definitions kmod/xlat_env.h names, so
 * the module's translation sources build unchanged into host tests.
 */
#ifndef _MAP646_HOST_ENV_H
#define _MAP646_HOST_ENV_H

#include <netinet/in.h>		/* before the uapi headers: avoids clashes */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/tcp.h>
#include <linux/types.h>
#include <linux/udp.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;

#define __force
#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define IP_DF 0x4000
#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define NEXTHDR_HOP 0
#define NEXTHDR_ROUTING 43
#define NEXTHDR_FRAGMENT 44
#define NEXTHDR_DEST 60
#define NEXTHDR_NONE 59
#define CSUM_MANGLED_0 ((__sum16)0xffff)
#define IPV6_MIN_MTU 1280
#define IP6_MF 0x0001
#define U32_MAX 0xffffffffU
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define ALIGN(x, a) (((x) + (a) - 1) / (a) * (a))
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))
#define min_t(t, a, b) ((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define max_t(t, a, b) ((t)(a) > (t)(b) ? (t)(a) : (t)(b))

struct frag_hdr {
	__u8 nexthdr;
	__u8 reserved;
	__be16 frag_off;
	__be32 identification;
};

static inline __wsum csum_add(__wsum a, __wsum b)
{
	u32 s = (u32)a + (u32)b;

	return (__wsum)(s + (s < (u32)b));
}

static inline __wsum csum_sub(__wsum a, __wsum b)
{
	return csum_add(a, ~b);
}

/* Sum of 16-bit words in memory order, like the kernel's csum_partial(). */
static inline __wsum csum_partial(const void *buf, int len, __wsum sum)
{
	const u8 *p = buf;
	u16 word;

	for (; len > 1; len -= 2, p += 2) {
		memcpy(&word, p, 2);
		sum = csum_add(sum, (__wsum)word);
	}
	if (len) {
		u16 last = 0;

		memcpy(&last, p, 1);
		sum = csum_add(sum, (__wsum)last);
	}
	return sum;
}

static inline __sum16 csum_fold(__wsum sum)
{
	u32 s = (u32)sum;

	s = (s & 0xffff) + (s >> 16);
	s = (s & 0xffff) + (s >> 16);
	return (__sum16)~s;
}

static inline __wsum csum_unfold(__sum16 n)
{
	return (__wsum)(u32)n;
}

static inline __sum16 ip_fast_csum(const void *iph, unsigned int ihl)
{
	return csum_fold(csum_partial(iph, ihl * 4, 0));
}

static inline __sum16 csum_ipv6_magic(const struct in6_addr *saddr,
				      const struct in6_addr *daddr, __u32 len,
				      __u8 proto, __wsum sum)
{
	sum = csum_partial(saddr, sizeof(*saddr), sum);
	sum = csum_partial(daddr, sizeof(*daddr), sum);
	sum = csum_add(sum, (__wsum)htonl(len));
	return csum_fold(csum_add(sum, (__wsum)htonl(proto)));
}

static inline void ip6_flow_hdr(struct ipv6hdr *hdr, unsigned int tclass,
				__be32 flowlabel)
{
	*(__be32 *)hdr = htonl(0x60000000 | (tclass << 20)) | flowlabel;
}

static inline u8 ipv6_get_dsfield(const struct ipv6hdr *ip6h)
{
	return ntohs(*(const __be16 *)ip6h) >> 4;
}

/* The first @len bits of @a1 and @a2 are equal. */
static inline bool ipv6_prefix_equal(const struct in6_addr *a1,
				     const struct in6_addr *a2,
				     unsigned int len)
{
	unsigned int bytes = len / 8, bits = len % 8;

	if (memcmp(a1, a2, bytes))
		return false;
	return !bits || !((a1->s6_addr[bytes] ^ a2->s6_addr[bytes]) &
			  (0xff00 >> bits));
}

static inline bool ipv6_addr_equal(const struct in6_addr *a1,
				   const struct in6_addr *a2)
{
	return !memcmp(a1, a2, sizeof(*a1));
}

#define map646_ipv4_id() ((u16)random())

#endif /* _MAP646_HOST_ENV_H */
