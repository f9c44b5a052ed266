/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_COUNTERS_H
#define _MAP646_COUNTERS_H

#include <linux/jiffies.h>
#include <linux/list.h>
#include <linux/percpu.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

/* Directions of a mapping's counters. */
enum {
	MAP646_DIR_4TO6,
	MAP646_DIR_6TO4,
	MAP646_DIRS
};

/**
 * struct map646_map_stats - one CPU's counters of one mapping
 * @pkts: packets translated, per direction
 * @bytes: their length as they reached the device, per direction
 * @syncp: consistent 64-bit reads on 32-bit machines
 */
struct map646_map_stats {
	u64_stats_t pkts[MAP646_DIRS];
	u64_stats_t bytes[MAP646_DIRS];
	struct u64_stats_sync syncp;
};

/**
 * struct map646_map_counters - a mapping's counters, summed over the CPUs
 * @pkts: packets per direction
 * @bytes: bytes per direction
 */
struct map646_map_counters {
	u64 pkts[MAP646_DIRS];
	u64 bytes[MAP646_DIRS];
};

/*
 * Mappings per block: one per-CPU allocation per block instead of one per
 * mapping (a million alloc_percpu() calls are slow, and each carries
 * allocator overhead), sized so the block itself fits in 2 KiB.
 */
#define MAP646_CTR_SLOTS	240

/**
 * struct map646_ctr_block - counters of up to %MAP646_CTR_SLOTS mappings
 * @stats: per-CPU counters, one per slot
 * @last: jiffies of each slot's last translated packet, written at most once
 *	  a jiffy so CPUs seldom pull the line from each other
 * @base: what each slot's counters were at the last reset; NULL until the
 *	  first reset, then set once
 * @node: link in the pool's list of blocks with a free slot
 * @used: the slots in use
 * @nr_used: their number
 */
struct map646_ctr_block {
	struct map646_map_stats __percpu *stats;
	unsigned long last[MAP646_CTR_SLOTS];
	struct map646_map_counters *base;
	struct list_head node;
	DECLARE_BITMAP(used, MAP646_CTR_SLOTS);
	unsigned int nr_used;
};

/*
 * A mapping's counters are slot @slot of block @b; the two are kept apart
 * in the mapping so that it fits in one cache line.
 */

/**
 * map646_ctr_count() - count one translated packet; data path, BH off
 * @b: block of the mapping's counters
 * @slot: their slot in @b
 * @dir: MAP646_DIR_4TO6 or MAP646_DIR_6TO4
 * @len: its length as it reached the device
 */
static inline void map646_ctr_count(struct map646_ctr_block *b,
				    unsigned int slot, int dir,
				    unsigned int len)
{
	struct map646_map_stats *s = this_cpu_ptr(b->stats + slot);
	unsigned long now = jiffies;

	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->pkts[dir]);
	u64_stats_add(&s->bytes[dir], len);
	u64_stats_update_end(&s->syncp);
	if (READ_ONCE(b->last[slot]) != now)
		WRITE_ONCE(b->last[slot], now);
}

int map646_ctr_get(struct map646_ctr_block **b, u16 *slot);
void map646_ctr_put(struct map646_ctr_block *b, unsigned int slot);
bool map646_ctr_read(const struct map646_ctr_block *b, unsigned int slot,
		     struct map646_map_counters *sum, unsigned long *last);
int map646_ctr_prepare_reset(struct map646_ctr_block *b);
void map646_ctr_reset(struct map646_ctr_block *b, unsigned int slot);
bool map646_ctr_pool_empty(void);

#endif /* _MAP646_COUNTERS_H */
