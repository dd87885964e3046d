#!/bin/sh
# Runs inside the VM (busybox sh) as /data/run.sh: vivid checks, then MJPEG through v4l2loopback.
rc=0
echo "== vivid: YUYV + GREY on /dev/video0"
./perch-capture-vmtest vivid /dev/video0 "${FRAMES:-30}" || rc=1
echo "== camera doctor + frame capture on /dev/video0"
./perch-capture-vmtest doctor /dev/video0 || rc=1
if [ -e /dev/video10 ]; then
  echo "== v4l2loopback: MJPEG on /dev/video10"
  ./perch-capture-vmtest produce /dev/video10 1000 >/tmp/producer.log 2>&1 &
  producer=$!
  # start consuming once the producer has set the MJPEG format (before that libv4l2 cannot open the node)
  i=0; while ! grep -q 'output format' /tmp/producer.log 2>/dev/null && [ $i -lt 100 ]; do sleep 0.1; i=$((i+1)); done
  ./perch-capture-vmtest mjpeg /dev/video10 "${FRAMES:-30}" || rc=1
  kill $producer 2>/dev/null
  wait $producer 2>/dev/null
  sed 's/^/   /' /tmp/producer.log
else
  echo "== no /dev/video10: MJPEG via v4l2loopback skipped"
fi
echo "== unplug: vivid's Disconnect control on /dev/video0, then the driver reloaded"
rm -f /tmp/unplugged
./perch-capture-vmtest unplug /dev/video0 &
unplug=$!
i=0; while [ ! -e /tmp/unplugged ] && [ $i -lt 300 ]; do sleep 0.1; i=$((i+1)); done
# The source closes the device on the error; rmmod succeeds once nothing holds it open.
j=0; until rmmod vivid 2>/dev/null || [ $j -ge 100 ]; do sleep 0.2; j=$((j+1)); done
sleep 1  # absent for a while: the source keeps backing off
insmod /modules/vivid.ko || echo "VM: insmod vivid (again) failed"
wait $unplug || rc=1
exit $rc
