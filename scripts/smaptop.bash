# bash completion for smaptop(1)                              -*- shell-script -*-
#
# Installed by `make install` as $(PREFIX)/share/bash-completion/completions/smaptop;
# it can also be sourced directly. It needs nothing from the bash-completion
# package.
#
# Completes options; column keys after --columns (comma lists) and -s/--sort;
# pid, comm, user, cgroup after --prom-by; file names after -o/--output;
# mapping keys after -s/--sort when --maps is on the line, cgroup keys when --cgroups is; PIDs after -p/--pid
# (comma lists) and --maps; user names after -u/--user; file names after
# --record, --replay and --history; relative times after --at, --from, --to.
#
# Options and column keys are read from the "Columns" part of `smaptop --help`
# at completion time, so new columns complete without editing this file. When
# no smaptop can be run, the built-in lists below are used.
#
# Candidates never contain blanks or glob characters, so COMPREPLY=($(...)) is
# safe here.
# shellcheck disable=SC2207

_smaptop_builtin_opts='-1 --once --csv --json -n --iterations -d --delay -p --pid -u --user
--filter -s --sort -r --reverse --columns --top --all --pss-max-age --maps --group --numa
--system --leaks --cgroups --oom-kills --record --retain --replay --at --from --to --history
--prometheus -o --output --listen --prom-top --prom-by -h --help -V --version'

_smaptop_builtin_columns='pid ppid uid user state threads start vsz rss rss_anon rss_file
rss_shmem pss pss_anon pss_file pss_shmem uss shared swap_pss thp referenced pss_age swap
locked oom oom_adj minflt majflt minflt_s majflt_s growth numa_node numa_pct cgroup leak comm
cmd'

_smaptop_map_keys='size rss pss pss_dirty shared_clean shared_dirty private_clean
private_dirty referenced anonymous swap swap_pss locked thp'

_smaptop_cgroup_keys='cgroup usage limit pct swap pss procs oom_kills oom_eta'

# Prints the output of `--help` of the smaptop being completed: the command
# word itself when it is a path to an executable (./smaptop), else smaptop
# from PATH. Prints nothing when there is none.
_smaptop_help()
{
	local cmd=$1
	if [[ $cmd != */* ]]; then
		cmd=$(type -P smaptop) || return 0
	fi
	# A tilde is not expanded in COMP_WORDS.
	# shellcheck disable=SC2088
	[[ $cmd == "~/"* ]] && cmd=$HOME/${cmd#"~/"}
	[[ -f $cmd && -x $cmd ]] || return 0
	LC_ALL=C "$cmd" --help 2>/dev/null
}

# Column keys: the first word of each line of the "Columns" part of --help.
_smaptop_columns()
{
	local keys
	keys=$(_smaptop_help "$1" | awk '
		/^Columns/ { on = 1; next }
		on && /^$/ { exit }
		on && /^  [a-z]/ { print $1 }')
	printf '%s\n' "${keys:-$_smaptop_builtin_columns}"
}

# Options: the option words at the start of the lines of --help before "Columns".
_smaptop_options()
{
	local opts
	opts=$(_smaptop_help "$1" | awk '
		/^Columns/ { exit }
		/^ +-/ {
			for (i = 1; i <= NF; i++) {
				w = $i
				sub(/,$/, "", w)
				if (w !~ /^-/)
					break
				print w
				if ($i !~ /,$/)
					break
			}
		}')
	printf '%s\n' "${opts:-$_smaptop_builtin_opts}"
}

# Completes the last element of a comma-separated list in $cur from the words
# in $1 (each offered once per list).
_smaptop_list()
{
	local words=$1 head='' last=$cur w
	if [[ $cur == *,* ]]; then
		head=${cur%,*},
		last=${cur##*,}
	fi
	local seen=",$head" cands=()
	mapfile -t cands < <(compgen -W "$words" -- "$last")
	COMPREPLY=()
	for w in "${cands[@]}"; do
		[[ $seen == *",$w,"* ]] && continue
		COMPREPLY+=("$head$w")
	done
	# Let the user go on typing the list: no space after an element.
	[[ ${#COMPREPLY[@]} -gt 0 ]] && compopt -o nospace 2>/dev/null
	return 0
}

_smaptop_pids()
{
	local d pids=()
	for d in /proc/[0-9]*; do
		pids+=("${d#/proc/}")
	done
	printf '%s\n' "${pids[@]}"
}

# Completes the argument of option $1 into COMPREPLY. Returns 1 when $1 takes
# no argument.
_smaptop_arg()
{
	local opt=$1 cmd=$2 maps=$3
	case $opt in
	--columns)
		_smaptop_list "$(_smaptop_columns "$cmd")"
		;;
	-s | --sort)
		if ((maps == 2)); then
			COMPREPLY=($(compgen -W "$_smaptop_cgroup_keys" -- "$cur"))
		elif ((maps)); then
			COMPREPLY=($(compgen -W "$_smaptop_map_keys" -- "$cur"))
		else
			COMPREPLY=($(compgen -W "$(_smaptop_columns "$cmd")" -- "$cur"))
		fi
		;;
	-p | --pid)
		_smaptop_list "$(_smaptop_pids)"
		;;
	--maps)
		COMPREPLY=($(compgen -W "$(_smaptop_pids)" -- "$cur"))
		;;
	-u | --user)
		COMPREPLY=($(compgen -u -- "$cur"))
		;;
	--prom-by)
		COMPREPLY=($(compgen -W "pid comm user cgroup" -- "$cur"))
		;;
	-o | --output)
		# A file name: leave it to readline's own completion.
		compopt -o default 2>/dev/null
		COMPREPLY=()
		;;
	--record | --replay | --history)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur") # names may hold blanks
		compopt -o filenames 2>/dev/null
		;;
	--at | --from | --to)
		COMPREPLY=($(compgen -W "-10m -1h -6h -1d -7d" -- "$cur"))
		;;
	-n | --iterations | -d | --delay | --filter | --top | --pss-max-age | --retain | --listen | \
		--prom-top)
		# A number or free text: nothing to offer.
		;;
	*)
		return 1
		;;
	esac
	return 0
}

_smaptop()
{
	local cur prev cmd i maps=0 prefix=
	COMPREPLY=()
	cur=${COMP_WORDS[COMP_CWORD]}
	prev=${COMP_WORDS[COMP_CWORD - 1]}
	cmd=${COMP_WORDS[0]}

	# --opt=value. With '=' in COMP_WORDBREAKS (the default) bash splits it into
	# "--opt" "=" "value"; without, it is one word and the reply keeps "--opt=".
	if [[ $cur == = ]]; then
		cur=
	elif [[ $prev == = && $COMP_CWORD -ge 2 ]]; then
		prev=${COMP_WORDS[COMP_CWORD - 2]}
	elif [[ $cur == --*=* ]]; then
		prev=${cur%%=*}
		prefix=$prev=
		cur=${cur#*=}
	fi

	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == --maps || ${COMP_WORDS[i]} == --maps=* ]] && maps=1
		[[ ${COMP_WORDS[i]} == --cgroups ]] && maps=2
	done

	if _smaptop_arg "$prev" "$cmd" "$maps"; then
		[[ -n $prefix ]] && COMPREPLY=("${COMPREPLY[@]/#/$prefix}")
		return 0
	fi
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$(_smaptop_options "$cmd")" -- "$cur"))
	fi
	return 0
}

complete -F _smaptop smaptop
