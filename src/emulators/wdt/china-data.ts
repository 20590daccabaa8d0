/** Realistic Chinese vocabulary for generated records (names, places, goods). Plain data, no logic. */

export const REGIONS: readonly { province: string; city: string; districts: readonly string[]; zip: string }[] = [
  { province: '浙江省', city: '杭州市', districts: ['西湖区', '滨江区', '余杭区', '拱墅区'], zip: '310000' },
  { province: '广东省', city: '广州市', districts: ['天河区', '越秀区', '番禺区', '白云区'], zip: '510000' },
  { province: '广东省', city: '深圳市', districts: ['南山区', '福田区', '宝安区', '龙岗区'], zip: '518000' },
  { province: '江苏省', city: '苏州市', districts: ['姑苏区', '工业园区', '吴中区', '相城区'], zip: '215000' },
  { province: '上海市', city: '上海市', districts: ['浦东新区', '徐汇区', '静安区', '闵行区'], zip: '200000' },
  { province: '北京市', city: '北京市', districts: ['朝阳区', '海淀区', '东城区', '丰台区'], zip: '100000' },
  { province: '福建省', city: '厦门市', districts: ['思明区', '湖里区', '集美区'], zip: '361000' },
  { province: '四川省', city: '成都市', districts: ['锦江区', '武侯区', '高新区', '青羊区'], zip: '610000' },
  { province: '山东省', city: '青岛市', districts: ['市南区', '崂山区', '黄岛区'], zip: '266000' },
  { province: '湖北省', city: '武汉市', districts: ['江汉区', '洪山区', '武昌区'], zip: '430000' },
];

export const BRANDS: readonly string[] = [
  '云朵', '青禾', '山野', '悦享', '优品', '匠心', '星辰', '暖阳', '清风', '锦绣', '安心', '鲜果', '木子', '禾田', '诺亚',
];

export const CATEGORIES: readonly string[] = ['服饰', '家居', '美妆', '数码', '食品', '母婴', '运动', '茶叶', '鞋包', '宠物'];

export const SHOP_KINDS: readonly string[] = ['旗舰店', '专卖店', '专营店', '官方店', '直营店'];

export const SURNAMES: readonly string[] = ['王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '马', '朱'];
export const GIVEN_NAMES: readonly string[] = ['伟', '芳', '娜', '敏', '静', '丽', '强', '磊', '洋', '艳', '勇', '军', '杰', '婷'];

export const STREETS: readonly string[] = ['文三路', '中山路', '解放路', '人民路', '建设路', '长江路', '科技园路', '滨江大道'];

/** Platform ids from the shared platform table (wdt-api.md §3). */
export const PLATFORMS: readonly { id: number; nick: string }[] = [
  { id: 0, nick: '线下' },
  { id: 1, nick: '淘宝' },
  { id: 3, nick: '京东' },
  { id: 39, nick: '拼多多' },
  { id: 69, nick: '抖音' },
  { id: 127, nick: '自有商城' },
];

export const GOODS: readonly { goods_no: string; goods_name: string; spec_name: string; price: number }[] = [
  { goods_no: 'G1001', goods_name: '纯棉短袖T恤', spec_name: '白色 L', price: 59 },
  { goods_no: 'G1002', goods_name: '加厚羽绒服', spec_name: '黑色 XL', price: 399 },
  { goods_no: 'G1003', goods_name: '陶瓷马克杯', spec_name: '350ml', price: 29.9 },
  { goods_no: 'G1004', goods_name: '无线蓝牙耳机', spec_name: '标准版', price: 199 },
  { goods_no: 'G1005', goods_name: '西湖龙井茶', spec_name: '250g礼盒', price: 268 },
  { goods_no: 'G1006', goods_name: '婴儿湿巾', spec_name: '80抽*3包', price: 19.8 },
  { goods_no: 'G1007', goods_name: '跑步运动鞋', spec_name: '42码', price: 329 },
  { goods_no: 'G1008', goods_name: '保湿面霜', spec_name: '50g', price: 158 },
  { goods_no: 'G1009', goods_name: '猫粮成猫粮', spec_name: '2kg', price: 89 },
  { goods_no: 'G1010', goods_name: '真丝枕套', spec_name: '一对装', price: 139 },
];

export const WAREHOUSES: readonly { warehouse_no: string; name: string }[] = [
  { warehouse_no: 'WH001', name: '杭州总仓' },
  { warehouse_no: 'WH002', name: '广州仓' },
  { warehouse_no: 'WH003', name: '北京仓' },
  { warehouse_no: 'WH004', name: '成都仓' },
  { warehouse_no: 'WH005', name: '退货仓' },
];

export const LOGISTICS: readonly string[] = ['SF', 'ZTO', 'YTO', 'YD', 'JD'];
