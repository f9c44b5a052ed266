// SPDX-License-Identifier: GPL-2.0
/*
 * Host driver for counting instructions per translated packet of the
 * header-rewriting core (kmod/xlat.c, kmod/rfc6052.c), built unchanged
 * against selftests/host/host_env.h. Each call of xlat4()/xlat6() does what
 * map646_path_4to6()/map646_path_6to4() do to a packet, minus the skb and
 * the table: parse, address translation, header rewrite in place. Run it
 * under `valgrind --tool=callgrind --toggle-collect=xlat4` (or xlat6): only
 * those calls are counted, not building or copying the packets.
 * usage: xlat_bench tcp|udp|icmp 4to6|6to4 N
 */
#include <stdio.h>
#include <linux/map646.h>
#include "rfc6052.h"
#include "xlat.h"

#define HEADROOM 64	/* like the skb headroom the module asks for */
#define L4LEN 26	/* a 64-byte IPv4 frame: 14 + 20 + 8 + 22 (UDP) */

static struct map646_cfg cfg = {
	.lowest_ipv6_mtu = 1280, .tos_copy = true, .icmp_reply = true,
};
static const uint8_t v4client[4] = { 198, 51, 100, 7 };
static const uint8_t v4server[4] = { 192, 0, 2, 10 };
static struct in6_addr v6server;	/* 2001:db8:1::10 */
static struct in6_addr v6client;	/* 64:ff9b::198.51.100.7 */

/*
 * Transport header + payload; the checksum covers @pseudo, the sum of the
 * pseudo-header in memory order (0 for ICMPv4). Packets are built with the
 * shim's checksum helpers: what host/xlat_test.c checks independently.
 */
static void build_l4(uint8_t *l4, uint8_t proto, __wsum pseudo)
{
	size_t off = proto == IPPROTO_TCP ? 16 : proto == IPPROTO_UDP ? 6 : 2;
	__sum16 c;
	int i;

	for (i = 0; i < L4LEN; i++)
		l4[i] = (uint8_t)(i * 37 + 11);
	switch (proto) {
	case IPPROTO_TCP:
		l4[12] = 5 << 4;
		break;
	case IPPROTO_UDP:
		l4[4] = 0;
		l4[5] = L4LEN;
		break;
	case IPPROTO_ICMP:
		l4[0] = 8;	/* echo request */
		l4[1] = 0;
		break;
	case IPPROTO_ICMPV6:
		l4[0] = 129;	/* echo reply */
		l4[1] = 0;
		break;
	}
	memset(l4 + off, 0, 2);
	c = csum_fold(csum_partial(l4, L4LEN, pseudo));
	memcpy(l4 + off, &c, 2);
}

/* pseudo-header sum: addresses of @alen bytes, then 0, proto, length */
static __wsum pseudo(const void *s, const void *d, size_t alen, uint8_t proto)
{
	uint8_t ph[40] = { 0 };

	memcpy(ph, s, alen);
	memcpy(ph + alen, d, alen);
	ph[2 * alen + 1] = proto;
	ph[2 * alen + 3] = L4LEN;
	return csum_partial(ph, 2 * alen + 4, 0);
}

static size_t build4(uint8_t *p, uint8_t proto)
{
	struct iphdr *ip = (void *)p;

	memset(ip, 0, 20);
	ip->version = 4;
	ip->ihl = 5;
	ip->tot_len = htons(20 + L4LEN);
	ip->id = htons(0x1234);
	ip->ttl = 63;	/* after the forwarding decrement */
	ip->protocol = proto;
	memcpy(&ip->saddr, v4client, 4);
	memcpy(&ip->daddr, v4server, 4);
	ip->check = ip_fast_csum(ip, 5);
	build_l4(p + 20, proto, proto == IPPROTO_ICMP ? 0 :
		 pseudo(v4client, v4server, 4, proto));
	return 20 + L4LEN;
}

static size_t build6(uint8_t *p, uint8_t proto)
{
	struct ipv6hdr *ip6 = (void *)p;

	memset(ip6, 0, 40);
	ip6->version = 6;
	ip6->payload_len = htons(L4LEN);
	ip6->nexthdr = proto;
	ip6->hop_limit = 63;
	ip6->saddr = v6server;
	ip6->daddr = v6client;
	build_l4(p + 40, proto, pseudo(&v6server, &v6client, 16, proto));
	return 40 + L4LEN;
}

/* IPv4 packet at @data: translated in place, new header pushed before it */
__attribute__((noinline)) int xlat4(uint8_t *data, size_t len)
{
	struct map646_pkt pkt = { .l3 = data, .hlen = len, .len = len };
	struct iphdr *ip4 = (void *)data;
	struct in6_addr saddr;
	uint8_t hdr[48];
	unsigned int hl;
	int err;

	err = map646_xlat_parse4(&pkt, &cfg);
	if (err)
		return err;
	if (ip4->daddr != *(const __be32 *)v4server)	/* the table lookup */
		return -1;
	map646_prefix_embed(&cfg.prefix, ip4->saddr, &saddr);
	map646_xlat_4to6(&pkt, &cfg, &saddr, &v6server, hdr);
	hl = map646_xlat_hdrlen6(&pkt);
	memcpy(data + pkt.l3len - hl, hdr, hl);
	return 0;
}

/* IPv6 packet at @data: translated in place, the IPv4 header replaces it */
__attribute__((noinline)) int xlat6(uint8_t *data, size_t len)
{
	struct map646_pkt pkt = { .l3 = data, .hlen = len, .len = len };
	struct ipv6hdr *ip6 = (void *)data;
	struct iphdr ip4;
	__be32 daddr;
	int err;

	err = map646_xlat_parse6(&pkt);
	if (err)
		return err;
	if (!map646_prefix_extract(&cfg.prefix, &ip6->daddr, &daddr))
		return -1;
	if (memcmp(&ip6->saddr, &v6server, 16))		/* the table lookup */
		return -1;
	map646_xlat_6to4(&pkt, &cfg, *(const __be32 *)v4server, daddr, &ip4);
	memcpy(data + pkt.l3len - sizeof(ip4), &ip4, sizeof(ip4));
	return 0;
}

int main(int argc, char **argv)
{
	uint8_t proto, orig[128], buf[HEADROOM + 128];
	bool v4;
	long i, n;
	size_t len;

	if (argc != 4)
		return 2;
	v4 = !strcmp(argv[2], "4to6");
	proto = !strcmp(argv[1], "tcp") ? IPPROTO_TCP :
		!strcmp(argv[1], "udp") ? IPPROTO_UDP :
		v4 ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	n = atol(argv[3]);
	inet_pton(AF_INET6, "64:ff9b::", &cfg.prefix.addr);
	cfg.prefix.len = 96;
	inet_pton(AF_INET6, "2001:db8:1::10", &v6server);
	map646_prefix_embed(&cfg.prefix, *(const __be32 *)v4client, &v6client);
	len = v4 ? build4(orig, proto) : build6(orig, proto);
	for (i = 0; i < n; i++) {
		memcpy(buf + HEADROOM, orig, len);
		if ((v4 ? xlat4 : xlat6)(buf + HEADROOM, len)) {
			fprintf(stderr, "xlat_bench: packet not translated\n");
			return 1;
		}
	}
	printf("%s %s: %ld packets\n", argv[1], argv[2], n);
	return 0;
}
