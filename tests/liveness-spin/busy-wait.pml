/* busy-wait.json in Promela: a busy-wait loop on a flag a daemon sets and clears. */
bool flag;
bool waiterDone;

active proctype toggler() {
  do
  :: flag = true; flag = false
  od
}

active proctype waiter() {
  bool seen;
  do
  :: seen = flag;
     if
     :: seen -> break
     :: else -> skip
     fi
  od;
  waiterDone = true
}

ltl terminates { <> waiterDone }
