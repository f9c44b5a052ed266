/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_XLAT_H
#define _MAP646_XLAT_H

#include "xlat_env.h"
#include "rfc6052.h"

/*
 * Bytes the translator must see contiguously before parsing: the largest
 * IPv4 header (60) plus the transport bytes it touches (TCP checksum at
 * offset 16). IPv6 extension header chains may need more: the parser then
 * asks for it through map646_pkt.need.
 */
#define MAP646_XLAT_HDR_MAX (60 + 20)

#define MAP646_FRAG_HDR_LEN 8
/* RFC 7915: ICMP errors are truncated to these sizes */
#define MAP646_ICMP6_ERR_MAX 1280
#define MAP646_ICMP4_ERR_MAX 576

/**
 * struct map646_cfg - the settings that shape a translation
 * @prefix: RFC 6052 translation prefix; length 0 = none
 * @lowest_ipv6_mtu: IPv4 packets without DF are fragmented to this size
 * @udp_zero_csum: compute a checksum for unfragmented IPv4 UDP without
 *		   one, instead of dropping it
 * @tos_copy: copy IPv4 TOS <-> IPv6 traffic class (else: set 0)
 * @icmp_reply: answer translation drops with ICMP errors where RFC 7915
 *		says SHOULD
 * @pool4: RFC 6791 source for ICMPv6 errors from unmapped addresses
 * @pool4_len: prefix length of @pool4; 0 = no pool
 * @path: where the device translates, enum map646_path
 * @pool6: RFC 6791 IPv6 source for ICMPv4 errors from unmapped addresses,
 *	   on a device without a prefix
 * @pool6_len: prefix length of @pool6; 0 = no pool
 */
struct map646_cfg {
	struct map646_prefix prefix;
	u16 lowest_ipv6_mtu;
	bool udp_zero_csum;
	bool tos_copy;
	bool icmp_reply;
	__be32 pool4;
	u8 pool4_len;
	u8 path;
	struct in6_addr pool6;
	u8 pool6_len;
};

/**
 * struct map646_xlat_ctx - what the translation core may ask about
 * @cfg: settings
 * @table: opaque argument of @map4 and @map6
 * @map4: look up an IPv4 address in the mapping table
 * @map6: look up an IPv6 address in the mapping table
 * @hairpin: the IPv4 packet is one the translator made from IPv6 and routed
 *	     back to itself (RFC 7757 4.3): addresses that stand for its
 *	     source are embedded in the prefix, not looked up
 */
struct map646_xlat_ctx {
	const struct map646_cfg *cfg;
	const void *table;
	bool (*map4)(const void *table, __be32 v4, struct in6_addr *v6);
	bool (*map6)(const void *table, const struct in6_addr *v6, __be32 *v4);
	bool hairpin;
};

/**
 * struct map646_pkt - a packet as the translation code sees it
 * @l3: start of the network header
 * @hlen: bytes at @l3 that are contiguous (and writable for translation)
 * @len: packet length from @l3; trimmed to what the header claims
 * @need: when the parser returns MAP646_XLAT_NEED, bytes it needs contiguous
 * @l3len: bytes before the transport header: IPv4 header with options, or
 *	   IPv6 header with every extension header (including Fragment)
 * @proto: transport protocol (IPv4 numbering for IPv4, next header for IPv6)
 * @frag: the packet is a fragment (IPv4 MF/offset, or an IPv6 Fragment
 *	  header, even an atomic one)
 * @mf: more fragments follow
 * @df: IPv4 Don't Fragment
 * @frag_off: fragment offset in 8-byte units
 * @frag_id: fragment identification (IPv4: 16 bits, zero-extended)
 * @icmp_err: the packet is an ICMP error message
 * @hops: the TTL / hop limit the translation writes; the parsers set the
 *	  header's plus one (at most 255): the stack took one off forwarding
 *	  the packet to the translator and takes one off forwarding the
 *	  translation, and the translator is one hop (RFC 7915 4.1). A caller
 *	  that forwards the packet itself, in one step, sets it to its own.
 * @csum_partial: the transport checksum field holds only the pseudo-header
 *		  sum, the rest is left to offload (CHECKSUM_PARTIAL); set by
 *		  the caller
 * @err_ptr: for drops answered with a Parameter Problem, the pointer
 */
struct map646_pkt {
	void *l3;
	unsigned int hlen;
	unsigned int len;
	unsigned int need;
	unsigned int l3len;
	u8 proto;
	bool frag;
	bool mf;
	bool df;
	u16 frag_off;
	__be32 frag_id;
	bool icmp_err;
	u8 hops;
	bool csum_partial;
	u32 err_ptr;
};

/* Parsers return 0, MAP646_XLAT_NEED or an enum map646_stat drop reason. */
#define MAP646_XLAT_NEED (-1)

int map646_xlat_parse4(struct map646_pkt *pkt, const struct map646_cfg *cfg);
int map646_xlat_parse6(struct map646_pkt *pkt);

unsigned int map646_l4_need(u8 proto);
unsigned int map646_xlat_hdrlen6(const struct map646_pkt *pkt);
void map646_xlat_4to6(const struct map646_pkt *pkt, const struct map646_cfg *cfg,
		      const struct in6_addr *saddr, const struct in6_addr *daddr,
		      void *hdr);
void map646_xlat_6to4(const struct map646_pkt *pkt, const struct map646_cfg *cfg,
		      __be32 saddr, __be32 daddr, struct iphdr *ip4);
void map646_xlat_frag6(void *hdr, unsigned int payload, u16 frag_off, bool mf);

int map646_xlat_check4(const struct map646_cfg *cfg, __be32 v4);
bool map646_xlat_addr4to6(const struct map646_xlat_ctx *ctx, __be32 v4,
			  struct in6_addr *v6);
bool map646_xlat_addr6to4(const struct map646_xlat_ctx *ctx,
			  const struct in6_addr *v6, __be32 *v4);

int map646_xlat_icmp_4to6(const struct map646_pkt *pkt,
			  const struct map646_xlat_ctx *ctx,
			  const struct in6_addr *saddr,
			  const struct in6_addr *daddr, u32 mtu4, u32 mtu6,
			  u8 *out, unsigned int *outlen);
int map646_xlat_icmp_6to4(const struct map646_pkt *pkt,
			  const struct map646_xlat_ctx *ctx, __be32 saddr,
			  __be32 daddr, u32 mtu4, u32 mtu6, u8 *out,
			  unsigned int *outlen);

#endif /* _MAP646_XLAT_H */
