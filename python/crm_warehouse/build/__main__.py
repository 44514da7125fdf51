from crm_warehouse.build.cli import main

raise SystemExit(main())
