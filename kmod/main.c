// SPDX-License-Identifier: GPL-2.0
/*
 * map646: stateless one-to-one IPv4/IPv6 translation as a netdevice.
 * This file is only the module's init/exit chain.
 */
#include <linux/module.h>
#include <net/genetlink.h>
#include <net/rtnetlink.h>
#include <linux/map646.h>
#include "device.h"
#include "ipid.h"
#include "netlink.h"
#include "table.h"

static int __init map646_mod_init(void)
{
	int err;

	map646_ipid_init();
	err = map646_table_init();
	if (err)
		return err;
	err = map646_device_init();
	if (err)
		goto err_table;
	err = map646_genl_init();
	if (err)
		goto err_device;
	pr_info("map646 " MAP646_VERSION " loaded\n");
	return 0;

err_device:
	map646_device_uninit();
err_table:
	map646_table_exit();
	return err;
}

static void __exit map646_mod_exit(void)
{
	map646_genl_uninit();
	map646_device_uninit();
	map646_table_exit();
}

module_init(map646_mod_init);
module_exit(map646_mod_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Stateless one-to-one IPv4/IPv6 translator (RFC 7915)");
MODULE_VERSION(MAP646_VERSION);
MODULE_ALIAS_RTNL_LINK(MAP646_GENL_NAME);
MODULE_ALIAS_GENL_FAMILY(MAP646_GENL_NAME);
