/* lockstep.h -- encoding conventions shared by every model of this benchmark
 * (Lockstep semantics, docs/design.md section 2).
 *
 * 1. One Lockstep step = one Promela d_step = one transition.  Other processes
 *    can run between any two steps and never inside one.  A step that can abort
 *    ("require c else abort", "cas ... else abort") is an `if` with two guarded
 *    d_steps (success / abort): exactly one of them runs, as one transition.
 *    A `goto` after a d_step is folded by Spin into that transition.
 * 2. A process that has ended (done, aborted, crashed) blocks forever at an
 *    end_* label (a valid end state) instead of terminating, so it stays in the
 *    state as "ended" and Spin's process-deletion moves add no states.
 * 3. Checks are asserts placed in the step that could break them:
 *      invariant          after every write to shared state, inside the same
 *                         d_step: shared state changes nowhere else, so this is
 *                         "holds in every reachable state" (the initial state
 *                         satisfies every invariant here by inspection).
 *                         Not a never claim: pan turns off invalid-end-state
 *                         (deadlock) detection when a never claim is present.
 *      assertion          an `assert` step of an operation.
 *      stuck-transitional in the step that ends the last running process
 *                         (`live` counts running processes; it is a function
 *                         of the program counters, so it adds no states).
 *      lock-leak          in the step that ends a process that uses locks.
 *      release-not-held   in every release.
 *      deadlock           Spin's own "invalid end state": no move is possible
 *                         and some process is not at an end_* label.
 *      illegal-transition only when compiled with -DILLEGAL_CHECK (second
 *                         table in README.md): every write is checked against
 *                         the resource's edge list; writing the current state
 *                         again is not a transition.
 *    The failing check prints "@@ VIOLATION <kind>: <name>" when the trail is
 *    replayed (spin -t); pan itself ignores printf.
 * 4. STEP(label) prints "@@ p<pid> <label>" on replay only; run_all.sh turns
 *    these lines into the one-line trail description.
 */
#define STEP(txt)  printf("@@ p%d ", _pid); printf(txt); printf("\n")

#define CHECK(kind, name, cond) \
	if :: !(cond) -> printf("@@ VIOLATION "); printf(kind); printf(": "); printf(name); printf("\n") \
	   :: else -> skip \
	fi; \
	assert(cond)

#ifdef ILLEGAL_CHECK
#define CHECK_EDGE(name, from, to, cond) \
	if :: !(cond) -> printf("@@ VIOLATION illegal-transition: "); printf(name); printf(" %e -> %e\n", from, to) \
	   :: else -> skip \
	fi; \
	assert(cond)
#else
#define CHECK_EDGE(name, from, to, cond)  skip
#endif

/* locks: a byte per lock instance, 0 = free, else holder's pid+1 */
#define ME               (_pid + 1)
#define FREE(lk)         (lk == 0)
#define TAKE(lk)         lk = ME
#define RELEASE(lk)      CHECK("release-not-held", "release of a lock not held", lk == ME); lk = 0
#define NO_LEAK(lk)      CHECK("lock-leak", "process ended holding a lock", lk != ME)

/* the step that ends a process: last one out checks for a stuck transitional state */
#define END_PROC         live--; CHECK("stuck-transitional", "all processes ended, a resource is in a transitional state", !(live == 0 && TRANSITIONAL))
