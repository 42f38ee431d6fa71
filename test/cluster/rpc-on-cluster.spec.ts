/**
 * The RPC integration specs, unchanged, against a real 3-master Redis Cluster: the service
 * is started with REDIS_CLUSTER_NODES, and the specs' `inspect` reads across the masters.
 * Specs that stop, pause or MONITOR a single redis-server (redis-outage, redis-storage,
 * admin-stats' round-trip counts) stay single-node; cluster faults are in cluster-faults.spec.ts.
 */
import '../support/use-redis-cluster.js';
import '../rpc/session-lifecycle.spec.js';
import '../rpc/login-merge.spec.js';
import '../rpc/cart-and-wishlist.spec.js';
import '../rpc/force-logout.spec.js';
import '../rpc/admin.spec.js';
import '../rpc/untrusted-cookies.spec.js';
import '../rpc/auth-and-validation.spec.js';
import '../rpc/provider-login.spec.js';
import '../rpc/provider-cart.spec.js';
import '../sessionctl/admin-commands.spec.js';
import '../events/rpc-session-events.spec.js';
