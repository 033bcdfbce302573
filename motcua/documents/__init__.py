"""Official documents (văn bản đến, văn bản đi) under Decree 30/2020/NĐ-CP."""
