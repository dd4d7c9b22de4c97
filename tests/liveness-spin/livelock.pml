/* livelock.json in Promela: two retriers that back off when they see each other's flag. */
bool a, b;
bool leftDone, rightDone;

active proctype left() {
  bool contended;
  do
  :: a = true;
     contended = b;
     if
     :: contended -> a = false
     :: else -> skip
     fi;
     if
     :: !contended -> break
     :: else -> skip
     fi
  od;
  a = false;
  leftDone = true
}

active proctype right() {
  bool contended;
  do
  :: b = true;
     contended = a;
     if
     :: contended -> b = false
     :: else -> skip
     fi;
     if
     :: !contended -> break
     :: else -> skip
     fi
  od;
  b = false;
  rightDone = true
}

ltl terminates { <> (leftDone && rightDone) }
