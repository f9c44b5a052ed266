/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _MAP646_COUNTERS_H
#define _MAP646_COUNTERS_H

#include <linux/compiler.h>
#include <linux/jiffies.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/seqlock.h>
#include <linux/types.h>
#include <linux/u64_stats_sync.h>

/* Directions of a mapping's counters. */
enum {
	MAP646_DIR_4TO6,
	MAP646_DIR_6TO4,
	MAP646_DIRS
};

/**
 * struct map646_map_counters - a mapping's counters, summed
 * @pkts: packets per direction
 * @bytes: bytes per direction
 */
struct map646_map_counters {
	u64 pkts[MAP646_DIRS];
	u64 bytes[MAP646_DIRS];
};

/* A cache slot that holds no counter. */
#define MAP646_CTR_NONE		U32_MAX

/**
 * struct map646_ctr_slot - one slot of a CPU's counter cache
 * @key: the counter whose counts it holds, or %MAP646_CTR_NONE
 * @seq: odd while the slot's counts move to their counter (readers retry)
 * @pkts: packets counted here and not yet moved to the counter
 * @bytes: their bytes
 * @last: jiffies of the last packet counted here, 0 for none
 * @syncp: consistent 64-bit reads on 32-bit machines
 */
struct map646_ctr_slot {
	u32 key;
	seqcount_t seq;
	u64_stats_t pkts[MAP646_DIRS];
	u64_stats_t bytes[MAP646_DIRS];
	unsigned long last;
	struct u64_stats_sync syncp;
};

/*
 * Slots of each CPU's counter cache: a power of two, as many as one
 * per-CPU allocation holds (512 of 48 bytes: 24 KiB a CPU; fewer with
 * lockdep, whose seqcounts are bigger).
 */
#define MAP646_CTR_CACHE \
	rounddown_pow_of_two(PCPU_MIN_UNIT_SIZE / sizeof(struct map646_ctr_slot))

extern struct map646_ctr_slot __percpu *map646_ctr_cache;

void map646_ctr_take(struct map646_ctr_slot *s, u32 id);

/**
 * map646_ctr_count() - count one translated packet; data path, BH off
 * @id: the counter of the mapping that translated it
 * @dir: MAP646_DIR_4TO6 or MAP646_DIR_6TO4
 * @len: its length as it reached the translator
 *
 * The packet is counted in this CPU's cache: its slot for @id (direct
 * mapped) first moves the counts of another counter it may hold to that
 * counter (map646_ctr_take()).
 */
static inline void map646_ctr_count(u32 id, int dir, unsigned int len)
{
	struct map646_ctr_slot *s = this_cpu_ptr(map646_ctr_cache) +
				    (id & (MAP646_CTR_CACHE - 1));
	unsigned long now = jiffies;

	if (unlikely(READ_ONCE(s->key) != id))
		map646_ctr_take(s, id);
	u64_stats_update_begin(&s->syncp);
	u64_stats_inc(&s->pkts[dir]);
	u64_stats_add(&s->bytes[dir], len);
	u64_stats_update_end(&s->syncp);
	if (s->last != now)
		WRITE_ONCE(s->last, now);
}

int map646_ctr_init(void);
void map646_ctr_exit(void);
int map646_ctr_get(u32 *id);
void map646_ctr_put(u32 id);
bool map646_ctr_read(u32 id, struct map646_map_counters *sum,
		     unsigned long *last);
int map646_ctr_prepare_reset(u32 id);
void map646_ctr_reset(u32 id);

#endif /* _MAP646_COUNTERS_H */
