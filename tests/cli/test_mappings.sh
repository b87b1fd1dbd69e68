# test_mappings.sh - the example mappings shipped in examples/mappings load
# the exports they are written for (small samples in tests/data/exports).
. "$(dirname "$0")/lib.sh"
ex="$SRC/examples/mappings"
expect 0 "*" "" -- lf init

expect 0 '{"inserted":4,"updated":0,"unchanged":0,"rejected":1}' "*" -- \
	lf import leads "$DATA/exports/hubspot_contacts.csv" --map "$ex/hubspot_contacts.yaml" \
	--rejects hubspot_rejects.csv --format json
check "hubspot: a second record of one person is rejected, said why" \
	grep -q "email 'maya.chen@northwind.example' belongs to lead 1, whose external id is '51', not '54'" hubspot_rejects.csv
check "hubspot: employees written 10,000" sh -c "'$LEADFLOW' lead show ade@bigco.example --format json | grep -q '\"employees\": 10000'"
lf lead show maya.chen@northwind.example --format json > maya.json
check "hubspot: first and last name" grep -q '"name": "Maya Chen"' maya.json
check "hubspot: lifecycle stage" grep -q '"stage": "mql"' maya.json
check "hubspot: employees" grep -q '"employees": 250' maya.json
check "hubspot: create date" grep -q '"created_at": "2026-03-05T14:22:00Z"' maya.json
check "hubspot: phone left out" sh -c '! grep -q phone maya.json'
check "hubspot: score is a number" grep -q '"hubspot_score": 45' maya.json
expect 0 '{"inserted":0,"updated":0,"unchanged":4,"rejected":1}' "*" -- \
	lf import leads "$DATA/exports/hubspot_contacts.csv" --map "$ex/hubspot_contacts.yaml" \
	--rejects hubspot_rejects2.csv --format json
check "hubspot: a re-run changes nothing (the external id stays '51')" \
	sh -c "'$LEADFLOW' lead show maya.chen@northwind.example --format json | grep -q '\"external_id\": \"51\"'"

expect 0 '{"inserted":2,"updated":0,"unchanged":0,"rejected":0}' "" -- \
	lf import leads "$DATA/exports/salesforce_leads.csv" --map "$ex/salesforce_leads.yaml" --format json
lf lead show 00Q5e00000AbCdFEAZ --format json > omar.json
check "salesforce: status to stage" grep -q '"stage": "recycled"' omar.json
check "salesforce: boolean opt-out" grep -q '"email_opt_out": true' omar.json
check "salesforce: empty revenue is missing" sh -c '! grep -q annual_revenue omar.json'
check "salesforce: rating mapped" grep -q '"sf_rating": "cold"' omar.json
expect 0 "*" "" -- lf lead list --stage sal --format csv
check "salesforce: sal stage listed" sh -c "'$LEADFLOW' lead list --stage sal --format csv | grep -q lena.fischer@apex.example"

# a mapping naming a column the file does not have is refused up front
printf 'columns:\n  Emial: email\n' > typo.yaml
expect 2 "" "leadflow: typo.yaml:2:3: column 'Emial' is not in the header of '$DATA/exports/salesforce_leads.csv'" -- \
	lf import leads "$DATA/exports/salesforce_leads.csv" --map typo.yaml
finish
