#!/usr/bin/env bash
# Regenerates the captcha's spoken clips, one per alphabet character, into
# src/EspacePro.Web/Captcha/Audio/{voice}/{char}.wav (embedded in the web assembly), in
# several espeak-ng voices.
#
# Why pre-recorded clips: the server then needs no speech engine at run time; each render
# only resamples and mixes a few kilobytes of PCM (see CaptchaAudioRenderer).
#
# Why several voices: a render picks a voice per character, then changes its pitch, tempo and
# gain, so that no committed clip is found as such in the sound (a program sliding these clips
# over it reads nothing). Two male and two female variants of the French voice.
#
# How to regenerate (Debian): apt-get install espeak-ng sox, then from the repository root:
#     tools/captcha-audio/generate.sh
# and commit the changed WAV files. Run it again whenever CaptchaText.Alphabet changes: the
# ALPHABET below must list the same characters (a unit test checks that every one has a clip).
#
# The character itself is given to espeak-ng, not a spelled-out name: the French voice then
# reads it as a letter name ("K" -> "ka", "W" -> "double vé", "Y" -> "i grec") or a number
# ("7" -> "sept"), which is what the sighted user sees. Upper case only: the answer is compared
# case-insensitively, so "c" and "C" are the same character and share one clip.
#
# Output: mono, 16-bit PCM, 16 kHz (enough for speech, keeps the whole set small), leading and
# trailing silence trimmed so the renderer controls the gaps, peak-normalised to -3 dBFS.
set -euo pipefail

ALPHABET="3467ACFHKMPRUWXY"
RATE=16000
SPEED=140   # words per minute; slower than espeak's 175 default so each name is clear
# folder name -> espeak-ng voice (French with a variant); the folder names are the renderer's voices.
declare -A VOICES=([m1]="fr" [m3]="fr+m3" [f2]="fr+f2" [f4]="fr+f4")

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
out="$root/src/EspacePro.Web/Captcha/Audio"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

command -v espeak-ng >/dev/null || { echo "espeak-ng is required (apt-get install espeak-ng)" >&2; exit 1; }
command -v sox >/dev/null || { echo "sox is required (apt-get install sox)" >&2; exit 1; }

rm -rf "$out"
for voice in "${!VOICES[@]}"; do
    mkdir -p "$out/$voice"
    for (( i = 0; i < ${#ALPHABET}; i++ )); do
        c="${ALPHABET:i:1}"
        espeak-ng -v "${VOICES[$voice]}" -s "$SPEED" -w "$tmp/raw.wav" -- "$c"
        # silence 1 ... trims the head; reverse/trim/reverse trims the tail the same way.
        sox "$tmp/raw.wav" -r "$RATE" -c 1 -b 16 -e signed-integer "$out/$voice/$c.wav" \
            silence 1 0.02 0.5% reverse silence 1 0.02 0.5% reverse \
            gain -n -3
        echo "$voice/$c.wav $(soxi -D "$out/$voice/$c.wav") s"
    done
done

du -ch "$out"/*/*.wav | tail -n 1
