/* daemon-exempt.json in Promela: the endless toggler is not in the formula (a daemon); the setter must end. */
bool flag, a;
bool setterDone;

active proctype toggler() {
  do
  :: flag = true; flag = false
  od
}

active proctype setter() {
  a = true;
  setterDone = true
}

ltl terminates { <> setterDone }
