# blockplan — the commands a newcomer needs.
#   make run    start the web app on the embedded demo (http://127.0.0.1:8080)
#   make test   run every test (vet, unit, golden, browser when Chromium is installed)
GO    ?= go
DB    ?= blockplan.db
ADDR  ?= 127.0.0.1:8080
ECHARTS := reports/assets/dist/echarts.min.js

.PHONY: run test build assets bench fuzz clean

build: $(ECHARTS)
	$(GO) build -o bin/blockplan ./cmd/blockplan

run: build
	./bin/blockplan --db $(DB) serve --addr $(ADDR)

# The JavaScript assets come from npm (package.json + package-lock.json)
# and are embedded by go:embed at build time.
assets: $(ECHARTS)
$(ECHARTS): package.json package-lock.json
	npm ci --no-audit --no-fund
	cp node_modules/echarts/dist/echarts.min.js $@

test: $(ECHARTS)
	$(GO) vet ./...
	$(GO) test -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

fuzz:
	$(GO) test -run '^$$' -fuzz FuzzDecodePortfolio -fuzztime 30s ./model/

clean:
	rm -rf bin $(ECHARTS)
