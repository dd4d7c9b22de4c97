/*
 * crash-after-lease.json in Promela. The crash fault: at most one crash, of any running
 * process, at any moment, never forced — the crasher may give up for good,
 * which weak fairness cannot tell from "not yet". A crashed process is dead:
 * every statement of it is guarded by !dead[it].
 */
#define TOGGLER 0
#define HOLDER 1
#define WAITER 2
bool flag, a;
byte lock;            /* 0: free, else 1 + the holder's id */
bool dead[3], done[3];
byte crashes = 1;
bool crashedHolding;  /* a crashed process still holds the lock */

active proctype toggler() {
  do
  :: atomic { !dead[TOGGLER] -> flag = true };
     atomic { !dead[TOGGLER] -> flag = false }
  od
}

active proctype holder() {
  atomic { !dead[HOLDER] && lock == 0 -> lock = 1 + HOLDER };
  atomic { !dead[HOLDER] -> a = true };
  atomic { !dead[HOLDER] -> lock = 0; done[HOLDER] = true }
}

active proctype waiter() {
  atomic { !dead[WAITER] && lock == 0 -> lock = 1 + WAITER };
  atomic { !dead[WAITER] -> lock = 0; done[WAITER] = true }
}

active proctype crasher() {
  if
  :: atomic { crashes > 0 && !dead[TOGGLER] -> crashes--; dead[TOGGLER] = true }
  :: atomic { crashes > 0 && !dead[HOLDER] && !done[HOLDER] -> crashes--; dead[HOLDER] = true; crashedHolding = (lock == 1 + HOLDER) }
  :: atomic { crashes > 0 && !dead[WAITER] && !done[WAITER] -> crashes--; dead[WAITER] = true; crashedHolding = (lock == 1 + WAITER) }
  :: skip
  fi
}

/* onCrash: after-lease — the lease of a crashed holder runs out eventually: weak fairness forces this process. */
active proctype leaseRunsOut() {
  atomic { crashedHolding -> lock = 0; crashedHolding = false }
}

ltl terminates { <> ((done[HOLDER] || dead[HOLDER]) && (done[WAITER] || dead[WAITER])) }
