// SPDX-License-Identifier: GPL-2.0
/*
 * ICMP error translation, RFC 7915 sections 4.2-4.3 and 5.2-5.3: the type
 * and code tables, MTU and pointer arithmetic, and the packet embedded in
 * the error, which is translated too (without TTL decrement). Errors are
 * rare, so they are rebuilt whole into a new buffer, truncated to 1280
 * (ICMPv6) or 576 (ICMPv4) bytes; their checksum is computed afresh.
 * RFC 4884 extensions are kept with the length field converted, or dropped
 * when they would not fit.
 */
#include <linux/map646.h>
#include "xlat.h"
#include "xlat_int.h"

#define ICMP_HDR 8
#define NO_PTR 0xff

/* RFC 7915 figure 3: IPv4 Parameter Problem pointer -> IPv6 pointer */
static const u8 ptr4to6[20] = {
	0, 1, 4, 4, NO_PTR, NO_PTR, NO_PTR, NO_PTR, 7, 6,
	NO_PTR, NO_PTR, 8, 8, 8, 8, 24, 24, 24, 24,
};

/* RFC 1191 plateaus, for Fragmentation Needed without an MTU */
static const u16 plateaus[] = {
	65535, 32000, 17914, 8166, 4352, 2002, 1492, 1006, 508, 296, 68,
};

/**
 * struct icmp_xlat - the translated type, code and 32-bit field
 * @type: ICMP type in the other family
 * @code: code
 * @info: MTU or pointer, host order; 0 otherwise
 * @ext_ok: the new type has an RFC 4884 length field
 */
struct icmp_xlat {
	u8 type;
	u8 code;
	u32 info;
	bool ext_ok;
};

/* Next-hop MTUs a caller does not know are U32_MAX, and stay so. */
static u32 mtu_plus(u32 mtu, u32 n)
{
	return mtu > U32_MAX - n ? U32_MAX : mtu + n;
}

static u32 mtu_minus(u32 mtu, u32 n)
{
	if (mtu == U32_MAX)
		return U32_MAX;
	return mtu > n ? mtu - n : 0;
}

static u32 plateau_mtu(unsigned int tot_len)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(plateaus) - 1; i++)
		if (plateaus[i] < tot_len)
			break;
	return plateaus[i];
}

/*
 * RFC 7915 4.2: Packet Too Big says minimum(MTU + 20, MTU of the IPv6
 * next hop, MTU of the IPv4 next hop + 20), and never less than 1280.
 */
static bool map_4to6(const u8 *icmp, unsigned int inner_tot_len, u32 mtu4,
		     u32 mtu6, struct icmp_xlat *x)
{
	u32 mtu;

	x->info = 0;
	x->ext_ok = false;
	switch (icmp[0]) {
	case ICMP_DEST_UNREACH:
		x->type = ICMPV6_DEST_UNREACH;
		x->ext_ok = true;
		switch (icmp[1]) {
		case ICMP_NET_UNREACH:
		case ICMP_HOST_UNREACH:
		case ICMP_SR_FAILED:
		case ICMP_NET_UNKNOWN:
		case ICMP_HOST_UNKNOWN:
		case ICMP_HOST_ISOLATED:
		case ICMP_NET_UNR_TOS:
		case ICMP_HOST_UNR_TOS:
			x->code = ICMPV6_NOROUTE;
			return true;
		case ICMP_PROT_UNREACH:
			x->type = ICMPV6_PARAMPROB;
			x->code = ICMPV6_UNK_NEXTHDR;
			x->info = offsetof(struct ipv6hdr, nexthdr);
			x->ext_ok = false;
			return true;
		case ICMP_PORT_UNREACH:
			x->code = ICMPV6_PORT_UNREACH;
			return true;
		case ICMP_FRAG_NEEDED:
			x->type = ICMPV6_PKT_TOOBIG;
			x->code = 0;
			x->ext_ok = false;
			mtu = (icmp[6] << 8) | icmp[7];
			if (!mtu)
				mtu = plateau_mtu(inner_tot_len);
			mtu = min(mtu + 20, min(mtu6, mtu_plus(mtu4, 20)));
			x->info = max_t(u32, mtu, IPV6_MIN_MTU);
			return true;
		case ICMP_NET_ANO:
		case ICMP_HOST_ANO:
		case ICMP_PKT_FILTERED:
		case ICMP_PREC_CUTOFF:
			x->code = ICMPV6_ADM_PROHIBITED;
			return true;
		}
		return false;
	case ICMP_TIME_EXCEEDED:
		x->type = ICMPV6_TIME_EXCEED;
		x->code = icmp[1];
		x->ext_ok = true;
		return icmp[1] <= ICMP_EXC_FRAGTIME;
	case ICMP_PARAMETERPROB:
		if ((icmp[1] != 0 && icmp[1] != 2) || icmp[4] >= sizeof(ptr4to6) ||
		    ptr4to6[icmp[4]] == NO_PTR)
			return false;
		x->type = ICMPV6_PARAMPROB;
		x->code = ICMPV6_HDR_FIELD;
		x->info = ptr4to6[icmp[4]];
		return true;
	}
	return false;
}

/* RFC 7915 figure 6: IPv6 Parameter Problem pointer -> IPv4 pointer */
static u8 ptr6to4(u32 ptr)
{
	if (ptr <= 1)
		return ptr;
	if (ptr == 4 || ptr == 5)
		return 2;
	if (ptr == 6)
		return 9;
	if (ptr == 7)
		return 8;
	if (ptr >= 8 && ptr < 24)
		return 12;
	if (ptr >= 24 && ptr < 40)
		return 16;
	return NO_PTR;
}

/*
 * RFC 7915 5.2: Fragmentation Needed says minimum(MTU - 20, MTU of the
 * IPv4 next hop, MTU of the IPv6 next hop - 20); an MTU of 20 or less
 * says nothing (Jool takes it so: a Packet Too Big of 0 leaves the next
 * hops to decide).
 */
static bool map_6to4(const u8 *icmp, u32 mtu4, u32 mtu6, struct icmp_xlat *x)
{
	u32 word = ((u32)icmp[4] << 24) | (icmp[5] << 16) | (icmp[6] << 8) | icmp[7];

	x->info = 0;
	x->ext_ok = false;
	switch (icmp[0]) {
	case ICMPV6_DEST_UNREACH:
		x->type = ICMP_DEST_UNREACH;
		x->ext_ok = true;
		switch (icmp[1]) {
		case ICMPV6_NOROUTE:
		case ICMPV6_NOT_NEIGHBOUR:
		case ICMPV6_ADDR_UNREACH:
			x->code = ICMP_HOST_UNREACH;
			return true;
		case ICMPV6_ADM_PROHIBITED:
			x->code = ICMP_HOST_ANO;
			return true;
		case ICMPV6_PORT_UNREACH:
			x->code = ICMP_PORT_UNREACH;
			return true;
		}
		return false;
	case ICMPV6_PKT_TOOBIG:
		x->type = ICMP_DEST_UNREACH;
		x->code = ICMP_FRAG_NEEDED;
		word = min(word > 20 ? word - 20 : U32_MAX,
			   min(mtu4, mtu_minus(mtu6, 20)));
		x->info = min_t(u32, word, 0xffff);
		return true;
	case ICMPV6_TIME_EXCEED:
		x->type = ICMP_TIME_EXCEEDED;
		x->code = icmp[1];
		x->ext_ok = true;
		return icmp[1] <= ICMPV6_EXC_FRAGTIME;
	case ICMPV6_PARAMPROB:
		if (icmp[1] == ICMPV6_UNK_NEXTHDR) {
			x->type = ICMP_DEST_UNREACH;
			x->code = ICMP_PROT_UNREACH;
			x->ext_ok = true;
			return true;
		}
		if (icmp[1] != ICMPV6_HDR_FIELD || ptr6to4(word) == NO_PTR)
			return false;
		x->type = ICMP_PARAMETERPROB;
		x->code = 0;
		x->info = ptr6to4(word);
		return true;
	}
	return false;
}

/*
 * Fix the embedded transport header (whatever of it is present) for the
 * new embedded addresses; ICMP echo also changes type and pseudo-header.
 */
static bool xlat_inner_l4(u8 proto, u8 *l4, unsigned int avail,
			  unsigned int l4len, __wsum old_addrs, __wsum new_addrs,
			  const struct in6_addr *s6, const struct in6_addr *d6,
			  bool to6)
{
	struct icmphdr *icmp = (struct icmphdr *)l4;
	__wsum pseudo, old, new;
	u8 type;

	switch (proto) {
	case IPPROTO_TCP:
		if (avail >= offsetof(struct tcphdr, check) + 2)
			((struct tcphdr *)l4)->check =
				map646_csum_update(((struct tcphdr *)l4)->check,
						   old_addrs, new_addrs);
		return true;
	case IPPROTO_UDP:
		if (avail >= sizeof(struct udphdr) && ((struct udphdr *)l4)->check)
			((struct udphdr *)l4)->check =
				map646_csum_update(((struct udphdr *)l4)->check,
						   old_addrs, new_addrs);
		return true;
	case IPPROTO_ICMP:
	case IPPROTO_ICMPV6:
		if (avail < 4)
			return true;
		if (to6 && (icmp->type == ICMP_ECHO || icmp->type == ICMP_ECHOREPLY))
			type = icmp->type == ICMP_ECHO ? ICMPV6_ECHO_REQUEST :
							 ICMPV6_ECHO_REPLY;
		else if (!to6 && (icmp->type == ICMPV6_ECHO_REQUEST ||
				  icmp->type == ICMPV6_ECHO_REPLY))
			type = icmp->type == ICMPV6_ECHO_REQUEST ? ICMP_ECHO :
								   ICMP_ECHOREPLY;
		else
			return false;	/* an error about an error */
		pseudo = map646_icmp6_pseudo_sum(s6, d6, l4len);
		old = csum_add(map646_icmp_type_sum(icmp->type, icmp->code),
			       to6 ? 0 : pseudo);
		new = csum_add(map646_icmp_type_sum(type, icmp->code),
			       to6 ? pseudo : 0);
		icmp->checksum = map646_csum_update(icmp->checksum, old, new);
		icmp->type = type;
		return true;
	}
	return true;
}

/* RFC 4884 5: with an extension, the datagram field has at least this */
#define EXT_MIN_DATAGRAM 128

/*
 * After the new ICMP header: the translated datagram (@dlen bytes, already
 * copied to @out as far as it fits @room) and the RFC 4884 extension @ext
 * of @ext_len bytes. The extension is kept when it fits with at least 128
 * bytes of datagram: the datagram is then zero-padded to 128 or cut to fit,
 * to a multiple of @unit, the new length field's unit. Otherwise the
 * extension is dropped and the length field is 0. Returns the bytes used.
 */
static unsigned int place_ext(u8 *out, unsigned int dlen, const u8 *ext,
			      unsigned int ext_len, unsigned int unit,
			      unsigned int room, u8 *len_field)
{
	unsigned int d;

	*len_field = 0;
	if (!ext_len || room < ext_len + EXT_MIN_DATAGRAM)
		return min(dlen, room);
	d = min(max(dlen, EXT_MIN_DATAGRAM), room - ext_len);
	d = d / unit * unit;
	if (d > dlen)
		memset(out + dlen, 0, d - dlen);
	memcpy(out + d, ext, ext_len);
	*len_field = d / unit;
	return d + ext_len;
}

/**
 * map646_xlat_icmp_4to6() - translate an ICMPv4 error into an ICMPv6 one
 * @pkt: error accepted by map646_xlat_parse4(), wholly linear
 * @ctx: translation context (addresses of the embedded packet)
 * @saddr: outer IPv6 source
 * @daddr: outer IPv6 destination
 * @mtu4: MTU of the IPv4 next hop (the route back to the error's sender)
 * @mtu6: MTU of the IPv6 next hop (the route to @daddr); either U32_MAX
 *	  when unknown
 * @out: room for MAP646_ICMP6_ERR_MAX bytes: the whole IPv6 packet
 * @outlen: its length
 *
 * Return: 0 or the enum map646_stat reason to drop the error.
 */
int map646_xlat_icmp_4to6(const struct map646_pkt *pkt,
			  const struct map646_xlat_ctx *ctx,
			  const struct in6_addr *saddr,
			  const struct in6_addr *daddr, u32 mtu4, u32 mtu6,
			  u8 *out, unsigned int *outlen)
{
	const struct iphdr *ip4 = pkt->l3;
	const u8 *icmp = (const u8 *)ip4 + pkt->l3len;
	const struct iphdr *in4 = (const struct iphdr *)(icmp + ICMP_HDR);
	unsigned int avail = pkt->len - pkt->l3len - ICMP_HDR;
	unsigned int ihl, in_len, ihl6, dlen, ext_len = 0, n, copy;
	struct ipv6hdr *ip6 = (struct ipv6hdr *)out;
	u8 *icmp6 = out + sizeof(*ip6);
	struct ipv6hdr *in6 = (struct ipv6hdr *)(icmp6 + ICMP_HDR);
	struct frag_hdr *fh = (struct frag_hdr *)(in6 + 1);
	struct in6_addr s6, d6;
	struct icmp_xlat x;
	bool frag;
	u8 *l4;

	if (avail < sizeof(*in4) || in4->version != 4 || in4->ihl < 5 ||
	    in4->ihl * 4 > avail)
		return MAP646_STAT_DROP_MALFORMED;
	ihl = in4->ihl * 4;
	in_len = ntohs(in4->tot_len);
	if (in_len < ihl)
		return MAP646_STAT_DROP_MALFORMED;
	if (!map_4to6(icmp, in_len, mtu4, mtu6, &x))
		return MAP646_STAT_DROP_ICMP;
	/* the embedded destination mirrors the outer source */
	if (!map646_xlat_addr4to6(ctx, in4->saddr, &s6))
		return MAP646_STAT_DROP_ICMP;
	if (ctx->hairpin)
		map646_prefix_embed(&ctx->cfg->prefix, in4->daddr, &d6);
	else if (!map646_xlat_addr4to6(ctx, in4->daddr, &d6))
		return MAP646_STAT_DROP_ICMP;

	/* RFC 4884: a length field says where the datagram ends */
	dlen = avail;
	if (icmp[5] && (icmp[0] == ICMP_DEST_UNREACH ||
			icmp[0] == ICMP_TIME_EXCEEDED ||
			icmp[0] == ICMP_PARAMETERPROB)) {
		if (icmp[5] * 4 < ihl || icmp[5] * 4 > avail)
			return MAP646_STAT_DROP_MALFORMED;
		dlen = icmp[5] * 4;
		ext_len = x.ext_ok ? avail - dlen : 0;
	}

	frag = in4->frag_off & htons(IP_MF | IP_OFFSET);
	ihl6 = sizeof(*in6) + (frag ? MAP646_FRAG_HDR_LEN : 0);
	ip6_flow_hdr(in6, ctx->cfg->tos_copy ? in4->tos : 0, 0);
	in6->payload_len = htons(in_len - ihl + ihl6 - sizeof(*in6));
	in6->nexthdr = in4->protocol == IPPROTO_ICMP ? IPPROTO_ICMPV6 :
						       in4->protocol;
	in6->hop_limit = in4->ttl;
	in6->saddr = s6;
	in6->daddr = d6;
	if (frag) {
		fh->nexthdr = in6->nexthdr;
		fh->reserved = 0;
		fh->frag_off = htons((ntohs(in4->frag_off) & IP_OFFSET) << 3 |
				     (in4->frag_off & htons(IP_MF) ? IP6_MF : 0));
		fh->identification = htonl(ntohs(in4->id));
		in6->nexthdr = NEXTHDR_FRAGMENT;
	}

	/* the datagram after its header, as much as fits */
	n = sizeof(*ip6) + ICMP_HDR + ihl6;
	copy = min(dlen - ihl, MAP646_ICMP6_ERR_MAX - n);
	l4 = (u8 *)in6 + ihl6;
	memcpy(l4, (const u8 *)in4 + ihl, copy);
	if (!(frag && (in4->frag_off & htons(IP_OFFSET))) &&
	    !xlat_inner_l4(in4->protocol, l4, copy, in_len - ihl,
			   csum_partial(&in4->saddr, 8, 0),
			   csum_partial(&s6, sizeof(s6), csum_partial(&d6, sizeof(d6), 0)),
			   &s6, &d6, true))
		return MAP646_STAT_DROP_ICMP;
	n = sizeof(*ip6) + ICMP_HDR +
	    place_ext((u8 *)in6, ihl6 + dlen - ihl, icmp + ICMP_HDR + dlen,
		      ext_len, 8, MAP646_ICMP6_ERR_MAX - sizeof(*ip6) - ICMP_HDR,
		      &icmp6[4]);

	icmp6[0] = x.type;
	icmp6[1] = x.code;
	icmp6[2] = 0;
	icmp6[3] = 0;
	if (!icmp6[4]) {
		__be32 info = htonl(x.info);

		memcpy(icmp6 + 4, &info, 4);
	} else {
		memset(icmp6 + 5, 0, 3);
	}

	ip6_flow_hdr(ip6, ctx->cfg->tos_copy ? ip4->tos : 0, 0);
	ip6->payload_len = htons(n - sizeof(*ip6));
	ip6->nexthdr = IPPROTO_ICMPV6;
	ip6->hop_limit = pkt->hops;
	ip6->saddr = *saddr;
	ip6->daddr = *daddr;
	((struct icmp6hdr *)icmp6)->icmp6_cksum =
		csum_ipv6_magic(saddr, daddr, n - sizeof(*ip6), IPPROTO_ICMPV6,
				csum_partial(icmp6, n - sizeof(*ip6), 0));
	*outlen = n;
	return 0;
}

/* Skip the embedded IPv6 extension headers; fragment fields as parsed. */
static int inner6_parse(const u8 *p, unsigned int avail,
			struct map646_pkt *in)
{
	unsigned int off = sizeof(struct ipv6hdr), hlen;
	u8 nexthdr = ((const struct ipv6hdr *)p)->nexthdr;

	in->frag = false;
	in->mf = false;
	in->frag_off = 0;
	in->frag_id = 0;
	for (;;) {
		if (nexthdr == NEXTHDR_HOP || nexthdr == NEXTHDR_DEST ||
		    nexthdr == NEXTHDR_ROUTING) {
			if (off + 2 > avail)
				return -1;
			hlen = (p[off + 1] + 1) * 8;
		} else if (nexthdr == NEXTHDR_FRAGMENT) {
			if (in->frag || off + MAP646_FRAG_HDR_LEN > avail)
				return -1;
			hlen = MAP646_FRAG_HDR_LEN;
			in->frag = true;
			in->frag_off = ((p[off + 2] << 8) | p[off + 3]) >> 3;
			in->mf = p[off + 3] & 1;
			memcpy(&in->frag_id, p + off + 4, 4);
		} else {
			break;
		}
		nexthdr = p[off];
		off += hlen;
		if (off > avail)
			return -1;
	}
	in->l3len = off;
	in->proto = nexthdr;
	return 0;
}

/**
 * map646_xlat_icmp_6to4() - translate an ICMPv6 error into an ICMPv4 one
 * @pkt: error accepted by map646_xlat_parse6(), wholly linear
 * @ctx: translation context (addresses of the embedded packet)
 * @saddr: outer IPv4 source
 * @daddr: outer IPv4 destination
 * @mtu4: MTU of the IPv4 next hop (the route to @daddr)
 * @mtu6: MTU of the IPv6 next hop (the route back to the error's sender);
 *	  either U32_MAX when unknown
 * @out: room for MAP646_ICMP4_ERR_MAX bytes: the whole IPv4 packet
 * @outlen: its length
 *
 * Return: 0 or the enum map646_stat reason to drop the error.
 */
int map646_xlat_icmp_6to4(const struct map646_pkt *pkt,
			  const struct map646_xlat_ctx *ctx, __be32 saddr,
			  __be32 daddr, u32 mtu4, u32 mtu6, u8 *out,
			  unsigned int *outlen)
{
	const struct ipv6hdr *ip6 = pkt->l3;
	const u8 *icmp6 = (const u8 *)ip6 + pkt->l3len;
	const u8 *inner = icmp6 + ICMP_HDR;
	const struct ipv6hdr *in6 = (const struct ipv6hdr *)inner;
	unsigned int avail = pkt->len - pkt->l3len - ICMP_HDR;
	unsigned int in_len, dlen, ext_len = 0, n, copy, tot;
	struct iphdr *ip4 = (struct iphdr *)out;
	u8 *icmp = out + sizeof(*ip4);
	struct iphdr *in4 = (struct iphdr *)(icmp + ICMP_HDR);
	struct map646_pkt in;
	struct icmp_xlat x;
	__wsum old_addrs;
	u8 *l4;

	if (avail < sizeof(*in6) || in6->version != 6 ||
	    inner6_parse(inner, avail, &in))
		return MAP646_STAT_DROP_MALFORMED;
	if (in.proto == IPPROTO_ICMP)
		return MAP646_STAT_DROP_ICMP;
	if (!map_6to4(icmp6, mtu4, mtu6, &x))
		return MAP646_STAT_DROP_ICMP;
	if (!map646_xlat_addr6to4(ctx, &in6->saddr, &in4->saddr) ||
	    !map646_xlat_addr6to4(ctx, &in6->daddr, &in4->daddr))
		return MAP646_STAT_DROP_ICMP;

	dlen = avail;
	if (icmp6[4] && (icmp6[0] == ICMPV6_DEST_UNREACH ||
			 icmp6[0] == ICMPV6_TIME_EXCEED)) {
		if (icmp6[4] * 8 < in.l3len || icmp6[4] * 8 > avail)
			return MAP646_STAT_DROP_MALFORMED;
		dlen = icmp6[4] * 8;
		ext_len = x.ext_ok ? avail - dlen : 0;
	}

	/* the length the embedded header claimed, not what is left of it */
	in_len = sizeof(*in6) + ntohs(in6->payload_len);
	tot = in_len > in.l3len ? in_len - in.l3len + sizeof(*in4) : sizeof(*in4);
	in4->version = 4;
	in4->ihl = 5;
	in4->tos = ctx->cfg->tos_copy ? ipv6_get_dsfield(in6) : 0;
	in4->tot_len = htons(tot);
	if (in.frag) {
		in4->id = htons(ntohl(in.frag_id) & 0xffff);
		in4->frag_off = htons(in.frag_off | (in.mf ? IP_MF : 0));
	} else {
		in4->id = 0;
		in4->frag_off = tot > 1260 ? htons(IP_DF) : 0;
	}
	in4->ttl = in6->hop_limit;
	in4->protocol = in.proto == IPPROTO_ICMPV6 ? IPPROTO_ICMP : in.proto;
	in4->check = 0;
	in4->check = ip_fast_csum(in4, in4->ihl);

	n = sizeof(*ip4) + ICMP_HDR + sizeof(*in4);
	copy = min(dlen - in.l3len, MAP646_ICMP4_ERR_MAX - n);
	l4 = (u8 *)(in4 + 1);
	memcpy(l4, inner + in.l3len, copy);
	old_addrs = csum_partial(&in6->saddr, 2 * sizeof(in6->saddr), 0);
	if (!(in.frag && in.frag_off) &&
	    !xlat_inner_l4(in.proto, l4, copy, tot - sizeof(*in4), old_addrs,
			   csum_partial(&in4->saddr, 8, 0), &in6->saddr,
			   &in6->daddr, false))
		return MAP646_STAT_DROP_ICMP;
	n = sizeof(*ip4) + ICMP_HDR +
	    place_ext((u8 *)in4, sizeof(*in4) + dlen - in.l3len,
		      inner + dlen, ext_len, 4,
		      MAP646_ICMP4_ERR_MAX - sizeof(*ip4) - ICMP_HDR, &icmp[5]);

	icmp[0] = x.type;
	icmp[1] = x.code;
	icmp[2] = 0;
	icmp[3] = 0;
	icmp[4] = x.type == ICMP_PARAMETERPROB ? x.info : 0;
	icmp[6] = x.code == ICMP_FRAG_NEEDED ? x.info >> 8 : 0;
	icmp[7] = x.code == ICMP_FRAG_NEEDED ? x.info & 0xff : 0;
	((struct icmphdr *)icmp)->checksum =
		csum_fold(csum_partial(icmp, n - sizeof(*ip4), 0));

	ip4->version = 4;
	ip4->ihl = 5;
	ip4->tos = ctx->cfg->tos_copy ? ipv6_get_dsfield(ip6) : 0;
	ip4->tot_len = htons(n);
	/* an atomic fragment keeps its identification */
	ip4->id = pkt->frag ? htons(ntohl(pkt->frag_id) & 0xffff) :
			      htons(map646_ipv4_id());
	ip4->frag_off = 0;
	ip4->ttl = pkt->hops;
	ip4->protocol = IPPROTO_ICMP;
	ip4->saddr = saddr;
	ip4->daddr = daddr;
	ip4->check = 0;
	ip4->check = ip_fast_csum(ip4, ip4->ihl);
	*outlen = n;
	return 0;
}
