/* blocking-await.json in Promela: `await r.flag` is a guard, not executable while the flag is false. */
bool flag;
bool waiterDone;

active proctype toggler() {
  do
  :: flag = true; flag = false
  od
}

active proctype waiter() {
  flag;
  waiterDone = true
}

ltl terminates { <> waiterDone }
