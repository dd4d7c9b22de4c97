/* leaves-busy.json in Promela: "no instance stays transitional for ever" is []<> !busy. */
bool busy, flag;

active proctype worker() {
  bool go;
  atomic { !busy -> busy = true };
  do
  :: go = flag;
     if
     :: go -> break
     :: else -> skip
     fi
  od;
  busy = false
}

active proctype setter() {
  flag = true
}

ltl leavesTransitional { []<> !busy }
