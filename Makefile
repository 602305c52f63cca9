# The same commands CI runs; each installs what it needs into .venv first.
.PHONY: run test lint bench load lock

run:
	python3 dev.py run

test:
	python3 dev.py test

lint:
	python3 dev.py lint

bench:
	python3 dev.py bench

load:
	python3 dev.py load

lock:
	python3 dev.py lock
