// SPDX-License-Identifier: GPL-2.0
/*
 * The packet path: everything about one packet that needs an skb, a
 * route or the mapping table, around the pure header translation of
 * xlat.c and xlat_icmp.c. Runs in the device's transmit path or in its
 * PRE_ROUTING hooks (hook.c), in softirq or BH-disabled process context,
 * under RCU. The translation writes the TTL / hop limit struct map646_pkt's
 * @hops says: one above what the packet leaves with, as the forwarding or
 * output that follows takes one. The common case (a TCP, UDP or echo
 * packet that fits) is rewritten in place; ICMP errors, fragmentation and
 * computed UDP checksums take a slower path that may allocate.
 */
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/jhash.h>
#include <net/icmp.h>
#include <net/ip.h>
#include <net/ipv6.h>
#include <net/ip6_route.h>
#include <net/route.h>
#include <linux/map646.h>
#include "path.h"
#include "route.h"
#include "table.h"

static bool map4(const void *table, __be32 v4, struct in6_addr *v6)
{
	struct map646_found f;

	if (!map646_table_match4((struct map646_table *)table, v4, &f))
		return false;
	*v6 = f.v6;
	return true;
}

static bool map6(const void *table, const struct in6_addr *v6, __be32 *v4)
{
	struct map646_found f;

	if (!map646_table_match6((struct map646_table *)table, v6, &f))
		return false;
	*v4 = f.v4;
	return true;
}

/* Count a translated packet on its mapping (none: an RFC 6791 source). */
static int counted(const struct map646_found *f, int dir, unsigned int len,
		   int stat)
{
	if (likely(f && (stat == MAP646_STAT_XLAT_4TO6 ||
			 stat == MAP646_STAT_XLAT_6TO4)))
		map646_found_count(f, dir, len);
	return stat;
}

/* Parse with the headers linear, pulling more when the parser asks. */
static int parse(struct sk_buff *skb, struct map646_pkt *pkt,
		 const struct map646_cfg *cfg, bool v4)
{
	unsigned int want = min_t(unsigned int, skb->len, MAP646_XLAT_HDR_MAX);
	int err, tries;

	pkt->csum_partial = skb->ip_summed == CHECKSUM_PARTIAL;
	for (tries = 0; tries < 2; tries++) {
		if (unlikely(!pskb_may_pull(skb, want)))
			return MAP646_STAT_DROP_MALFORMED;
		pkt->l3 = skb->data;
		pkt->hlen = skb_headlen(skb);
		pkt->len = skb->len;
		err = v4 ? map646_xlat_parse4(pkt, cfg) : map646_xlat_parse6(pkt);
		if (likely(err != MAP646_XLAT_NEED))
			return err;
		want = min(skb->len, pkt->need);
	}
	return MAP646_STAT_DROP_MALFORMED;
}

/* Drop padding, get private writable headers and room for the new ones. */
static int make_room(struct sk_buff *skb, struct map646_pkt *pkt,
		     unsigned int new_l3len)
{
	unsigned int grow = new_l3len > pkt->l3len ? new_l3len - pkt->l3len : 0;
	unsigned int hdrs = pkt->l3len + map646_l4_need(pkt->proto);

	if (unlikely(pskb_trim_rcsum(skb, pkt->len) ||
		     skb_ensure_writable(skb, min(skb->len, max(hdrs, pkt->hlen))) ||
		     skb_cow_head(skb, grow)))
		return MAP646_STAT_DROP_NOMEM;
	pkt->l3 = skb->data;
	pkt->hlen = skb_headlen(skb);
	return 0;
}

/* Put the new network header(s) in place of the old ones. */
static void swap_l3(struct sk_buff *skb, const struct map646_pkt *pkt,
		    const void *hdr, unsigned int hdrlen, __be16 proto)
{
	/* make_room() made the old headers linear and room for the new */
	__skb_pull(skb, pkt->l3len);
	memcpy(__skb_push(skb, hdrlen), hdr, hdrlen);
	skb_reset_network_header(skb);
	skb->protocol = proto;
}

/*
 * A GSO packet is translated once, as a whole. Its TCP segments change
 * family with it; UDP's are the application's datagrams, sizes included.
 */
static void gso_swap(struct sk_buff *skb, unsigned int from, unsigned int to)
{
	struct skb_shared_info *si = skb_shinfo(skb);

	if (si->gso_type & from)
		si->gso_type = (si->gso_type & ~from) | to;
}

/*
 * TCP segments 20 bytes bigger in IPv6 are cut smaller to fit the route
 * they will take; gso_segs then counts the new ones (qdiscs and GRO read
 * it). A UDP datagram too big for the route is the IPv6 stack's to answer
 * (Packet Too Big) or fragment (no DF), as for one sent whole.
 */
static void gso_4to6(struct net_device *dev, struct sk_buff *skb,
		     const struct map646_pkt *pkt, struct map646_found *m)
{
	struct skb_shared_info *si = skb_shinfo(skb);
	const struct tcphdr *th = (const void *)((const u8 *)pkt->l3 + pkt->l3len);
	unsigned int hdrs, mtu;

	gso_swap(skb, SKB_GSO_TCPV4 | SKB_GSO_TCP_FIXEDID, SKB_GSO_TCPV6);
	if (!(si->gso_type & SKB_GSO_TCPV6))
		return;
	hdrs = map646_xlat_hdrlen6(pkt) + th->doff * 4;
	mtu = map646_route_mtu6(dev_net(dev), &m->v6, map646_found_route6(m));
	if (mtu == UINT_MAX || hdrs + si->gso_size <= mtu || mtu <= hdrs)
		return;
	si->gso_size = mtu - hdrs;
	si->gso_segs = DIV_ROUND_UP(pkt->len - pkt->l3len - th->doff * 4,
				    si->gso_size);
}

/*
 * An ICMP error about a packet the translator drops, where RFC 7915 asks.
 * It quotes the packet as it arrived: a received packet forwarded to the
 * device gets its decrement back (the hooks' are untouched). In a device's
 * transmit path skb->cb holds whatever a qdisc or classifier left there,
 * not the IP layer's options, and a source NAT before the device must be
 * undone: the _ndo_ senders. Caught by the PRE_ROUTING hooks (@hooked),
 * the packet is as the IP layer received it, options parsed, without a
 * route: the plain senders, and for icmp_send() a route back to its source.
 */
static void reply4(struct sk_buff *skb, const struct map646_cfg *cfg,
		   bool hooked, int type, int code, u32 info)
{
	if (!cfg->icmp_reply)
		return;
	if (!hooked && skb->skb_iif &&
	    !skb_ensure_writable(skb, sizeof(struct iphdr))) {
		ip_hdr(skb)->ttl++;
		ip_send_check(ip_hdr(skb));
	}
	if (!hooked) {
		icmp_ndo_send(skb, type, code, htonl(info));
		return;
	}
	map646_route_reply4(dev_net(skb->dev), skb);
	icmp_send(skb, type, code, htonl(info));
}

/**
 * map646_path_reply6() - answer an IPv6 packet the translator drops
 * @skb: the packet, as it reached the device or the hook
 * @cfg: settings (whether to answer at all)
 * @hooked: caught by a PRE_ROUTING hook, not in the transmit path
 * @type: ICMPv6 type
 * @code: ICMPv6 code
 * @info: MTU or pointer
 */
void map646_path_reply6(struct sk_buff *skb, const struct map646_cfg *cfg,
			bool hooked, u8 type, u8 code, u32 info)
{
	if (!cfg->icmp_reply)
		return;
	if (!hooked && skb->skb_iif &&
	    !skb_ensure_writable(skb, sizeof(struct ipv6hdr)))
		ipv6_hdr(skb)->hop_limit++;
	if (hooked)
		icmpv6_send(skb, type, code, info);
	else
		icmpv6_ndo_send(skb, type, code, info);
}

/*
 * A new packet, to be built whole into @cap bytes of linear data in place
 * of @skb, whose mark (policy routing) and priority (qdisc class) it keeps.
 */
static struct sk_buff *new_packet(struct net_device *dev,
				  const struct sk_buff *skb, unsigned int cap)
{
	struct sk_buff *nskb;

	nskb = alloc_skb(LL_MAX_HEADER + cap, GFP_ATOMIC);
	if (nskb) {
		skb_reserve(nskb, LL_MAX_HEADER);
		nskb->dev = dev;
		nskb->mark = skb->mark;
		nskb->priority = skb->priority;
	}
	return nskb;
}

/*
 * ICMP errors are translated into a new packet: the old one, made linear
 * for the translation core, is the source. NULL when out of memory.
 */
static struct sk_buff *icmp_begin(struct net_device *dev, struct sk_buff *skb,
				  struct map646_pkt *pkt, unsigned int cap)
{
	if (skb_linearize(skb))
		return NULL;
	pkt->l3 = skb->data;
	pkt->hlen = skb->len;
	return new_packet(dev, skb, cap);
}

/*
 * Queue @nskb, @len bytes translated with result @err, in place of @skb;
 * @rc: the route cache for its destination, if any.
 */
static int icmp_end(struct sk_buff *skb, struct sk_buff *nskb, int err,
		    unsigned int len, __be16 proto, int stat,
		    struct map646_route6 *rc, struct sk_buff_head *out)
{
	if (err) {
		kfree_skb(nskb);
		return err;
	}
	skb_put(nskb, len);
	nskb->protocol = proto;
	MAP646_SKB_CB(nskb)->ignore_df = false;
	MAP646_SKB_CB(nskb)->route6 = rc;
	__skb_queue_tail(out, nskb);
	consume_skb(skb);
	return stat;
}

static int icmp_4to6(struct net_device *dev, struct sk_buff *skb,
		     struct map646_pkt *pkt, const struct map646_xlat_ctx *ctx,
		     const struct in6_addr *saddr, struct map646_found *m,
		     struct sk_buff_head *out)
{
	struct sk_buff *nskb = icmp_begin(dev, skb, pkt, MAP646_ICMP6_ERR_MAX);
	const struct iphdr *ip4 = pkt->l3;
	unsigned int len;
	u32 mtu4, mtu6;
	int err;

	if (!nskb)
		return MAP646_STAT_DROP_NOMEM;
	/* the next hops: back to the IPv4 router that sent it, on to the server */
	mtu4 = map646_route_mtu4(dev_net(dev), ip4->saddr);
	mtu6 = map646_route_mtu6(dev_net(dev), &m->v6, map646_found_route6(m));
	err = map646_xlat_icmp_4to6(pkt, ctx, saddr, &m->v6, mtu4, mtu6,
				    nskb->data, &len);
	return icmp_end(skb, nskb, err, len, htons(ETH_P_IPV6),
			MAP646_STAT_XLAT_4TO6, map646_found_route6(m), out);
}

static int fragment6(struct net_device *dev, struct sk_buff *skb,
		     struct map646_pkt *pkt, const struct map646_cfg *cfg,
		     const struct in6_addr *saddr, struct map646_found *m,
		     unsigned int mtu, struct sk_buff_head *out)
{
	unsigned int payload, chunk, off, n, hdrlen;
	u8 hdr[sizeof(struct ipv6hdr) + MAP646_FRAG_HDR_LEN];
	struct sk_buff *nskb;

	/*
	 * The fragments carry the checksum: no offload will finish it. The
	 * translation writes the transport checksum: into private data, not
	 * into what a tap's clone still shares.
	 */
	if ((pkt->csum_partial && skb_checksum_help(skb)) ||
	    skb_ensure_writable(skb, skb->len))
		return MAP646_STAT_DROP_NOMEM;
	pkt->csum_partial = false;
	pkt->l3 = skb->data;
	pkt->hlen = skb->len;
	pkt->frag = true;
	hdrlen = map646_xlat_hdrlen6(pkt);
	map646_xlat_4to6(pkt, cfg, saddr, &m->v6, hdr);

	payload = pkt->len - pkt->l3len;
	chunk = (mtu - hdrlen) & ~7U;
	for (off = 0; off < payload; off += n) {
		n = min(chunk, payload - off);
		nskb = new_packet(dev, skb, hdrlen + n);
		if (!nskb) {
			__skb_queue_purge(out);
			return MAP646_STAT_DROP_NOMEM;
		}
		skb_put_data(nskb, hdr, hdrlen);
		map646_xlat_frag6(nskb->data, n, pkt->frag_off + off / 8,
				  off + n < payload || pkt->mf);
		skb_copy_bits(skb, pkt->l3len + off, skb_put(nskb, n), n);
		nskb->protocol = htons(ETH_P_IPV6);
		MAP646_SKB_CB(nskb)->ignore_df = true;
		MAP646_SKB_CB(nskb)->route6 = map646_found_route6(m);
		__skb_queue_tail(out, nskb);
	}
	consume_skb(skb);
	return MAP646_STAT_XLAT_4TO6;
}

/*
 * The IPv6 source of a packet on a device without a prefix, where the
 * table's blocks translate both addresses (RFC 7757): the source's own
 * mapping, or for an ICMP error from an address no mapping holds (a
 * router) the translator's own address towards @daddr, as the errors
 * Linux sends itself have.
 */
static int source_by_table(struct net_device *dev,
			   const struct map646_cfg *cfg, struct map646_table *t,
			   const struct map646_pkt *pkt, __be32 v4,
			   const struct in6_addr *daddr, struct in6_addr *saddr)
{
	struct map646_found f;
	unsigned int host;

	if (map646_table_match4(t, v4, &f)) {
		*saddr = f.v6;
		return 0;
	}
	if (unlikely(!pkt->icmp_err))
		return MAP646_STAT_DROP_NO_PREFIX;
	if (!cfg->pool6_len)
		return map646_route_saddr6(dev_net(dev), daddr, saddr) ?
		       MAP646_STAT_DROP_NO_PREFIX : 0;
	/* RFC 6791: an address of the pool, the same for the same router */
	host = 128 - cfg->pool6_len;
	*saddr = cfg->pool6;
	if (host)
		saddr->s6_addr32[3] |= htonl(jhash_1word((__force u32)v4, 0) &
					     (U32_MAX >> (32 - min(host, 32U))));
	return 0;
}

/**
 * map646_path_4to6() - translate one IPv4 packet
 * @dev: the map646 device
 * @cfg: its settings
 * @t: its table
 * @dst: the mapping of the packet's destination, found by the PRE_ROUTING
 *     hook that caught the packet before routing; NULL in the device's
 *     transmit path: look it up
 * @skb: the packet, network header at data; consumed on success
 * @out: where the resulting IPv6 packet(s) go
 *
 * Answers with ICMP where RFC 7915 asks, before the caller drops.
 *
 * Return: MAP646_STAT_XLAT_4TO6, or the drop reason (@skb still owned by
 * the caller).
 */
int map646_path_4to6(struct net_device *dev, const struct map646_cfg *cfg,
		     struct map646_table *t, const struct map646_found *dst,
		     struct sk_buff *skb, struct sk_buff_head *out)
{
	struct map646_xlat_ctx ctx = { cfg, t, map4, map6, false };
	u8 hdr[sizeof(struct ipv6hdr) + MAP646_FRAG_HDR_LEN];
	bool hooked = dst;
	struct in6_addr saddr, unused;
	unsigned int len6, mtu, limit;
	struct map646_found m;
	struct map646_pkt pkt;
	struct iphdr *ip4;
	int err;

	/* without a prefix, only between block mappings (RFC 7757) */
	if (unlikely(!cfg->prefix.len) && !map646_table_pfx(t))
		return MAP646_STAT_DROP_NO_PREFIX;
	err = parse(skb, &pkt, cfg, true);
	if (unlikely(err)) {
		if (err == MAP646_STAT_DROP_UDP_ZERO_CSUM)
			reply4(skb, cfg, hooked, ICMP_DEST_UNREACH,
			       ICMP_PKT_FILTERED, 0);
		else if (err == MAP646_STAT_DROP_SRC_ROUTE)
			reply4(skb, cfg, hooked, ICMP_DEST_UNREACH,
			       ICMP_SR_FAILED, 0);
		return err;
	}
	ip4 = pkt.l3;
	/* caught before routing: no forwarding took a hop off yet */
	if (hooked)
		pkt.hops = ip4->ttl;
	if (dst)
		m = *dst;
	else if (unlikely(!map646_table_match4(t, ip4->daddr, &m)))
		return MAP646_STAT_DROP_NO_MAPPING_V4;
	/* only the translator itself hairpins from a mapped address */
	ctx.hairpin = skb->skb_iif == dev->ifindex;
	if (unlikely(cfg->prefix.len && map4(t, ip4->saddr, &unused) &&
		     !ctx.hairpin))
		return MAP646_STAT_DROP_SPOOFED;
	err = map646_xlat_check4(cfg, ip4->saddr);
	if (unlikely(err))
		return err;
	if (unlikely(!cfg->prefix.len)) {
		err = source_by_table(dev, cfg, t, &pkt, ip4->saddr, &m.v6,
				      &saddr);
		if (err)
			return err;
	} else {
		map646_prefix_embed(&cfg->prefix, ip4->saddr, &saddr);
	}

	if (unlikely(pkt.icmp_err))
		return counted(&m, MAP646_DIR_4TO6, pkt.len,
			       icmp_4to6(dev, skb, &pkt, &ctx, &saddr, &m, out));

	len6 = map646_xlat_hdrlen6(&pkt) + pkt.len - pkt.l3len;
	if (unlikely(len6 > IPV6_MIN_MTU) && !skb_is_gso(skb)) {
		mtu = map646_route_mtu6(dev_net(dev), &m.v6,
					map646_found_route6(&m));
		limit = min_t(unsigned int, mtu, cfg->lowest_ipv6_mtu);
		if (!pkt.df && len6 > limit)
			return counted(&m, MAP646_DIR_4TO6, pkt.len,
				       fragment6(dev, skb, &pkt, cfg, &saddr, &m,
						 limit, out));
		if (pkt.df && mtu < len6) {
			reply4(skb, cfg, hooked, ICMP_DEST_UNREACH,
			       ICMP_FRAG_NEEDED,
			       mtu - (sizeof(struct ipv6hdr) - sizeof(*ip4)));
			return MAP646_STAT_DROP_TOO_BIG;
		}
	}

	err = make_room(skb, &pkt, map646_xlat_hdrlen6(&pkt));
	if (unlikely(err))
		return err;
	map646_xlat_4to6(&pkt, cfg, &saddr, &m.v6, hdr);
	if (skb_is_gso(skb))
		gso_4to6(dev, skb, &pkt, &m);
	swap_l3(skb, &pkt, hdr, map646_xlat_hdrlen6(&pkt), htons(ETH_P_IPV6));
	MAP646_SKB_CB(skb)->ignore_df = !pkt.df;
	MAP646_SKB_CB(skb)->route6 = map646_found_route6(&m);
	__skb_queue_tail(out, skb);
	return counted(&m, MAP646_DIR_4TO6, pkt.len, MAP646_STAT_XLAT_4TO6);
}

/*
 * RFC 6791: the IPv4 source of an error from an unmapped IPv6 router, out
 * of the pool; without one, the RFC 7600 dummy address 192.0.0.8 (what
 * Linux itself sends errors from when it has no address of its own).
 */
static __be32 pool_addr(const struct map646_cfg *cfg, const struct in6_addr *src)
{
	u32 host;

	if (!cfg->pool4_len)
		return htonl(INADDR_DUMMY);
	host = cfg->pool4_len == 32 ? 0 :
	       jhash(src, sizeof(*src), 0) & (U32_MAX >> cfg->pool4_len);
	return cfg->pool4 | htonl(host);
}

/* @f: the mapping of the error's sender, if it has one */
static int icmp_6to4(struct net_device *dev, struct sk_buff *skb,
		     struct map646_pkt *pkt, const struct map646_xlat_ctx *ctx,
		     struct map646_found *f, __be32 saddr, __be32 daddr,
		     struct sk_buff_head *out)
{
	struct sk_buff *nskb = icmp_begin(dev, skb, pkt, MAP646_ICMP4_ERR_MAX);
	const struct ipv6hdr *ip6 = pkt->l3;
	unsigned int len;
	u32 mtu4, mtu6;
	int err;

	if (!nskb)
		return MAP646_STAT_DROP_NOMEM;
	/* the next hops: on to the IPv4 client, back to the error's sender */
	mtu4 = map646_route_mtu4(dev_net(dev), daddr);
	mtu6 = map646_route_mtu6(dev_net(dev), &ip6->saddr,
				 f ? map646_found_route6(f) : NULL);
	err = map646_xlat_icmp_6to4(pkt, ctx, saddr, daddr, mtu4, mtu6,
				    nskb->data, &len);
	return icmp_end(skb, nskb, err, len, htons(ETH_P_IP),
			MAP646_STAT_XLAT_6TO4, NULL, out);
}

/**
 * map646_path_6to4() - translate one IPv6 packet
 * @dev: the map646 device
 * @cfg: its settings
 * @t: its table
 * @dst4: the IPv4 destination embedded in the packet's, extracted by the
 *	  PRE_ROUTING hook that caught the packet before routing (the prefix
 *	  is not checked again); NULL in the device's transmit path: extract
 *	  it
 * @skb: the packet, network header at data; consumed on success
 * @out: where the resulting IPv4 packet goes
 *
 * Return: MAP646_STAT_XLAT_6TO4, or the drop reason (@skb still owned by
 * the caller).
 */
int map646_path_6to4(struct net_device *dev, const struct map646_cfg *cfg,
		     struct map646_table *t, const __be32 *dst4,
		     struct sk_buff *skb, struct sk_buff_head *out)
{
	struct map646_xlat_ctx ctx = { cfg, t, map4, map6, false };
	struct map646_found m, *found = &m;
	bool hooked = dst4;
	unsigned int len4, mtu;
	struct map646_pkt pkt;
	struct ipv6hdr *ip6;
	__be32 saddr, daddr;
	struct iphdr ip4;
	int err;

	if (unlikely(!cfg->prefix.len))
		return MAP646_STAT_DROP_NO_PREFIX;
	err = parse(skb, &pkt, cfg, false);
	if (unlikely(err)) {
		if (err == MAP646_STAT_DROP_EXTHDR)
			map646_path_reply6(skb, cfg, hooked, ICMPV6_DEST_UNREACH,
					   ICMPV6_ADM_PROHIBITED, 0);
		else if (err == MAP646_STAT_DROP_ROUTING)
			map646_path_reply6(skb, cfg, hooked, ICMPV6_PARAMPROB,
					   ICMPV6_HDR_FIELD, pkt.err_ptr);
		return err;
	}
	ip6 = pkt.l3;
	if (hooked)
		pkt.hops = ip6->hop_limit;
	if (dst4)
		daddr = *dst4;
	else if (unlikely(!map646_prefix_extract(&cfg->prefix, &ip6->daddr,
						 &daddr)))
		return MAP646_STAT_DROP_NOT_IN_PREFIX;
	err = map646_xlat_check4(cfg, daddr);
	if (unlikely(err))
		return err;
	if (likely(map646_table_match6(t, &ip6->saddr, &m))) {
		saddr = m.v4;
	} else if (pkt.icmp_err) {
		saddr = pool_addr(cfg, &ip6->saddr);
		found = NULL;
	} else {
		return MAP646_STAT_DROP_NO_MAPPING_V6;
	}

	if (unlikely(pkt.icmp_err))
		return counted(found, MAP646_DIR_6TO4, pkt.len,
			       icmp_6to4(dev, skb, &pkt, &ctx, found, saddr,
					 daddr, out));

	len4 = pkt.len - pkt.l3len + sizeof(ip4);
	if (unlikely(len4 > 1260) && !skb_is_gso(skb)) {
		mtu = map646_route_mtu4(dev_net(dev), daddr);
		if (mtu < len4) {
			map646_path_reply6(skb, cfg, hooked, ICMPV6_PKT_TOOBIG, 0,
					   mtu + sizeof(*ip6) - sizeof(ip4));
			return MAP646_STAT_DROP_TOO_BIG;
		}
	}

	err = make_room(skb, &pkt, sizeof(ip4));
	if (unlikely(err))
		return err;
	map646_xlat_6to4(&pkt, cfg, saddr, daddr, &ip4);
	if (skb_is_gso(skb))
		gso_swap(skb, SKB_GSO_TCPV6, SKB_GSO_TCPV4);
	swap_l3(skb, &pkt, &ip4, sizeof(ip4), htons(ETH_P_IP));
	MAP646_SKB_CB(skb)->ignore_df = false;
	MAP646_SKB_CB(skb)->route6 = NULL;
	__skb_queue_tail(out, skb);
	return counted(&m, MAP646_DIR_6TO4, pkt.len, MAP646_STAT_XLAT_6TO4);
}
