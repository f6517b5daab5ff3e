#!/bin/sh
# Make sure a program the tests need is installed from the system's packages.
#
#   scripts/system_package.sh PROGRAM PACKAGE PURPOSE
#
# PROGRAM present: nothing to do. Missing and running as root: install
# PACKAGE with apt-get. Missing otherwise: one line saying what to install,
# and a failure (the tests fail rather than skip without it).
set -eu
program=$1
package=$2
purpose=$3

[ -x "$program" ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "$program is missing ($purpose): installing the $package package."
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$package" >/dev/null
  [ -x "$program" ] && exit 0
  echo "Installed $package, but $program is still missing." >&2
  exit 1
fi
echo "$program is missing ($purpose): install it with 'apt-get install $package' (Debian/Ubuntu) as root." >&2
exit 1
