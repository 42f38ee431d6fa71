/**
 * The re-authentication and login-throttle specs, unchanged, against a real 3-master Redis
 * Cluster: the rotation script and each throttle call touch one hash tag, hence one slot.
 */
import '../support/use-redis-cluster.js';
import '../security/reauthentication.spec.js';
import '../security/login-throttle.spec.js';
